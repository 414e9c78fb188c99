package dev.tenantkit.metering.quota;

import dev.tenantkit.metering.quota.internal.QuotaSetup;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The entry point of quotas and rate limits.
 *
 * <pre>{@code
 * QuotaEnforcer quotas = Quotas.builder()
 *     .catalog(PlanCatalog.fromYaml(Path.of("plans.yaml")))
 *     .store(JdbcQuotaStore.builder(dataSource).build())
 *     .planOf(tenancy.tenants())
 *     .build();
 * QuotaDecision d = quotas.tryConsume(tenant, PlanCatalog.API_CALLS, 1);
 * }</pre>
 *
 * Not instantiable.
 */
public final class Quotas {
  private Quotas() {}

  /** A builder with the default catalog, an in-memory store, the system clock and fail-closed. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder of a {@link QuotaEnforcer}. Not thread-safe; the enforcer it builds is.
   *
   * <p>Only {@link #planOf} is required.
   */
  public static final class Builder {
    private PlanCatalog catalog = PlanCatalog.defaults();
    private QuotaStore store;
    private Function<TenantId, String> planOf;
    private InstantSource clock = InstantSource.system();
    private FailureMode failureMode = FailureMode.FAIL_CLOSED;
    private final List<QuotaListener> listeners = new ArrayList<>();
    private MeterRegistry meterRegistry;
    private TenantTags tenantTags = TenantTags.none();
    private long leaseBlock = 1;

    private Builder() {}

    /** The plans; default {@link PlanCatalog#defaults()}. */
    public Builder catalog(PlanCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** Where usage is kept; default a new {@link InMemoryQuotaStore}. */
    public Builder store(QuotaStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * How to find a tenant's plan id. It is called on every decision, so it should be quick (cache
     * in it if the source is slow). A {@link RuntimeException} from it that is not a Tenantkit
     * exception is treated like an unreachable store.
     */
    public Builder planOf(Function<TenantId, String> planOf) {
      this.planOf = Objects.requireNonNull(planOf, "planOf");
      return this;
    }

    /**
     * Finds a tenant's plan with {@link TenantService#get}: {@link Tenant#planId()}. An unknown
     * tenant makes decisions throw {@link dev.tenantkit.tenancy.TenantNotFoundException}.
     */
    public Builder planOf(TenantService tenants) {
      Objects.requireNonNull(tenants, "tenants");
      this.planOf = id -> tenants.get(id).planId();
      return this;
    }

    /** The time source; tests pass a fake one. Default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** What decisions answer when the store is unreachable; default {@code FAIL_CLOSED}. */
    public Builder failureMode(FailureMode mode) {
      this.failureMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Adds a listener of threshold events; listeners are called in the order added. */
    public Builder listener(QuotaListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Counts decisions in {@code tenantkit.quota.decisions}, tagged {@code limit} and {@code
     * outcome} ({@code allowed} or {@code denied}), and with a tenant tag only if {@link
     * #tenantTags} asks for one. Default: no metrics.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Which tenants get their own {@value TenantTags#KEY} tag on the decisions counted in the
     * {@link #meterRegistry}; default {@link TenantTags#none()}, no tenant tag. Pass the instance
     * usage metering has too, so both tag the same tenants.
     */
    public Builder tenantTags(TenantTags tags) {
      this.tenantTags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * Takes allowance units from the store {@code n} at a time and spends them in this instance, so
     * that about one consumption in {@code n} needs a store round trip; default 1 (no leasing).
     * Only {@link LimitKind#ALLOWANCE} limits consumed one at a time with {@link
     * QuotaEnforcer#tryConsume} are leased; gauges, rate limits and {@link
     * QuotaEnforcer#tryConsumeAll} always go to the store.
     *
     * <p>The instances together still never admit more than a limit, because the store counts
     * leased units. What leasing costs, per instance, tenant and allowance:
     *
     * <ul>
     *   <li>at most {@code n - 1} units leased and not yet spent, which count as used for the other
     *       instances (and in their {@link QuotaAdmin#status}), and are lost at the end of the
     *       period or when the process stops;
     *   <li>if an override lowers the limit within a period, at most {@code n - 1} units over the
     *       new limit, spent from a block leased before;
     *   <li>threshold events come when the block that reaches a threshold is leased, up to {@code n
     *       - 1} units early.
     * </ul>
     *
     * @param n units per lease, at least 1
     * @throws InvalidInputException if {@code n} is less than 1
     */
    public Builder leaseBlock(long n) {
      if (n < 1) {
        throw new InvalidInputException("leaseBlock", "must be at least 1");
      }
      this.leaseBlock = n;
      return this;
    }

    /**
     * Builds the enforcer.
     *
     * @throws InvalidInputException if {@link #planOf} was not given
     */
    public QuotaEnforcer build() {
      if (planOf == null) {
        throw new InvalidInputException(
            "planOf", "planOf is required: how to find a tenant's plan");
      }
      return new QuotaSetup(
              new QuotaSetup.Settings(
                  catalog,
                  store == null ? InMemoryQuotaStore.create() : store,
                  planOf,
                  clock,
                  failureMode,
                  List.copyOf(listeners),
                  meterRegistry,
                  tenantTags,
                  leaseBlock))
          .enforcer();
    }
  }
}
