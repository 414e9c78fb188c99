package dev.tenantkit.tenancy;

import dev.tenantkit.tenancy.internal.DefaultApiKeyService;
import dev.tenantkit.tenancy.internal.DefaultTenantService;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantPurger;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The entry point of the tenancy module: tenant lifecycle and API keys over one store.
 *
 * <pre>{@code
 * Tenancy tenancy = Tenancy.builder()
 *     .store(JdbcTenancyStore.builder(dataSource).build())
 *     .build();
 * tenancy.tenants().create(NewTenant.of(TenantId.of("acme"), "Acme", "free"));
 * IssuedApiKey key = tenancy.apiKeys().issue(TenantId.of("acme"), ApiKeyRequest.fullAccess("ci"));
 * }</pre>
 *
 * Thread-safe; build one per application.
 */
public final class Tenancy {
  private final TenantService tenants;
  private final ApiKeyService apiKeys;

  private Tenancy(Builder b) {
    this.tenants = new DefaultTenantService(b.store, b.clock, b.listeners, b.purgers, b.knownPlan);
    this.apiKeys = new DefaultApiKeyService(b.store, b.clock, b.lastUsedGranularity);
  }

  /** A builder with an in-memory store and the system clock. */
  public static Builder builder() {
    return new Builder();
  }

  /** Tenant lifecycle. */
  public TenantService tenants() {
    return tenants;
  }

  /** API keys. */
  public ApiKeyService apiKeys() {
    return apiKeys;
  }

  /** Builder of {@link Tenancy}. Not thread-safe. */
  public static final class Builder {
    private TenancyStore store;
    private InstantSource clock = InstantSource.system();
    private Duration lastUsedGranularity = Duration.ofMinutes(1);
    private final List<TenantEventListener> listeners = new ArrayList<>();
    private final List<TenantPurger> purgers = new ArrayList<>();
    private Predicate<String> knownPlan = plan -> true;

    private Builder() {}

    /** Where tenants and keys are kept; default a new {@link InMemoryTenancyStore}. */
    public Builder store(TenancyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The time source; tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How often at most a key's last-used time is written; default one minute. */
    public Builder apiKeyLastUsedGranularity(Duration granularity) {
      if (granularity == null || granularity.isNegative()) {
        throw new InvalidInputException("apiKeyLastUsedGranularity", "must be zero or positive");
      }
      this.lastUsedGranularity = granularity;
      return this;
    }

    /**
     * Which plan ids tenants may be put on; default any well-formed id. Pass the plan catalog's
     * lookup so that a tenant can never be created on, or moved to, a plan that has no limits.
     * Called on each create and plan change, so a catalog reloaded later is honoured.
     */
    public Builder knownPlans(Predicate<String> knownPlan) {
      this.knownPlan = Objects.requireNonNull(knownPlan, "knownPlan");
      return this;
    }

    /** Adds a listener of lifecycle changes; listeners are called in the order added. */
    public Builder listener(TenantEventListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Adds what removes a module's data of a purged tenant; purgers run in the order added, before
     * the tenant itself is removed (see {@link TenantPurger}).
     */
    public Builder purger(TenantPurger purger) {
      purgers.add(Objects.requireNonNull(purger, "purger"));
      return this;
    }

    /** Builds the tenancy module. */
    public Tenancy build() {
      if (store == null) {
        store = InMemoryTenancyStore.create();
      }
      return new Tenancy(this);
    }
  }
}
