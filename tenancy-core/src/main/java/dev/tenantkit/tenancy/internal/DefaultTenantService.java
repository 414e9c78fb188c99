package dev.tenantkit.tenancy.internal;

import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.PurgeFailedException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStateException;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.TenantUpdate;
import dev.tenantkit.tenancy.TenantkitException;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantPurger;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lifecycle rules over a {@link TenancyStore}. */
public final class DefaultTenantService implements TenantService {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultTenantService.class);
  private static final Pattern PLAN_ID = Pattern.compile("[a-z0-9_-]{1,64}");
  private static final int MAX_CAS_ATTEMPTS = 16;

  private final TenancyStore store;
  private final InstantSource clock;
  private final List<TenantEventListener> listeners;
  private final List<TenantPurger> purgers;
  private final Predicate<String> knownPlan;

  /**
   * @param store where tenants and keys live
   * @param clock the time source
   * @param listeners lifecycle listeners, in order
   * @param purgers what removes each module's data of a purged tenant, in order
   * @param knownPlan which plan ids exist
   */
  public DefaultTenantService(
      TenancyStore store,
      InstantSource clock,
      List<TenantEventListener> listeners,
      List<TenantPurger> purgers,
      Predicate<String> knownPlan) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listeners = List.copyOf(listeners);
    this.purgers = List.copyOf(purgers);
    this.knownPlan = Objects.requireNonNull(knownPlan, "knownPlan");
  }

  @Override
  public Tenant create(NewTenant request) {
    Objects.requireNonNull(request, "tenant");
    if (request.id() == null) {
      throw new InvalidInputException("id", "is required");
    }
    Instant now = now();
    Tenant tenant =
        new Tenant(
            request.id(),
            validName(request.name()),
            validPlan(request.planId()),
            TenantStatus.ACTIVE,
            request.settings() == null ? TenantSettings.defaults() : request.settings(),
            now,
            now,
            null,
            1);
    store.tenants().insert(tenant);
    publish(TenantEvent.Type.CREATED, tenant, now);
    return tenant;
  }

  @Override
  public Optional<Tenant> find(TenantId id) {
    return store.tenants().find(Objects.requireNonNull(id, "id"));
  }

  @Override
  public Tenant get(TenantId id) {
    return find(id).orElseThrow(() -> new TenantNotFoundException(id));
  }

  @Override
  public Page<Tenant> list(TenantStatus status, String cursor, int limit) {
    if (limit < 1 || limit > 1000) {
      throw new InvalidInputException("limit", "must be between 1 and 1000");
    }
    TenantId after = null;
    if (cursor != null && !cursor.isEmpty()) {
      if (!TenantId.isValid(cursor)) {
        throw new InvalidInputException("cursor", "is not a cursor this listing returned");
      }
      after = TenantId.of(cursor);
    }
    List<Tenant> rows = store.tenants().list(status, after, limit + 1);
    if (rows.size() <= limit) {
      return new Page<>(rows, null);
    }
    List<Tenant> page = rows.subList(0, limit);
    return new Page<>(page, page.get(limit - 1).id().value());
  }

  @Override
  public Tenant update(TenantId id, TenantUpdate update) {
    Objects.requireNonNull(update, "update");
    String name = update.name() == null ? null : validName(update.name());
    String plan = update.planId() == null ? null : validPlan(update.planId());
    TenantSettings settings = update.settings();
    if (update.isEmpty()) {
      return get(id);
    }
    return change(
        id,
        TenantEvent.Type.UPDATED,
        t ->
            new Tenant(
                t.id(),
                name == null ? t.name() : name,
                plan == null ? t.planId() : plan,
                t.status(),
                settings == null ? t.settings() : settings,
                t.createdAt(),
                t.updatedAt(),
                t.deletedAt(),
                t.version()));
  }

  @Override
  public Tenant rename(TenantId id, String name) {
    return update(id, new TenantUpdate(Objects.requireNonNull(name, "name"), null, null));
  }

  @Override
  public Tenant changePlan(TenantId id, String planId) {
    return update(id, new TenantUpdate(null, Objects.requireNonNull(planId, "planId"), null));
  }

  @Override
  public Tenant updateSettings(TenantId id, TenantSettings settings) {
    return update(id, new TenantUpdate(null, null, Objects.requireNonNull(settings, "settings")));
  }

  @Override
  public Tenant suspend(TenantId id) {
    return transition(id, TenantStatus.SUSPENDED, TenantEvent.Type.SUSPENDED);
  }

  @Override
  public Tenant reactivate(TenantId id) {
    return transition(id, TenantStatus.ACTIVE, TenantEvent.Type.REACTIVATED);
  }

  @Override
  public Tenant delete(TenantId id) {
    return transition(id, TenantStatus.DELETED, TenantEvent.Type.DELETED);
  }

  @Override
  public void purge(TenantId id) {
    Tenant tenant = get(id);
    if (tenant.status() != TenantStatus.DELETED) {
      throw new TenantStateException("tenant '" + id + "' must be deleted before it is purged");
    }
    // The modules' data goes while the tenant still exists: if a purger fails, the tenant stays
    // deleted and the purge can be retried, instead of leaving data under a reusable id.
    for (TenantPurger purger : purgers) {
      try {
        purger.purge(id);
      } catch (TenantkitException e) {
        throw e;
      } catch (RuntimeException e) {
        LOG.warn("purger {} failed for tenant {}; the tenant is kept, deleted", purger, id, e);
        throw new PurgeFailedException(id, e);
      }
    }
    // Keys refer to the tenant row, so they go first.
    store.apiKeys().deleteAll(id);
    store.tenants().delete(id);
    publish(TenantEvent.Type.PURGED, tenant, now());
  }

  private Tenant transition(TenantId id, TenantStatus target, TenantEvent.Type type) {
    Tenant current = get(id);
    if (current.status() == target) {
      return current;
    }
    if (current.status() == TenantStatus.DELETED) {
      throw new TenantStateException("tenant '" + id + "' is deleted");
    }
    return change(
        id,
        type,
        t ->
            new Tenant(
                t.id(),
                t.name(),
                t.planId(),
                target,
                t.settings(),
                t.createdAt(),
                t.updatedAt(),
                t.deletedAt(),
                t.version()));
  }

  /** Read, apply, compare-and-set; retried when a concurrent change wins. */
  private Tenant change(TenantId id, TenantEvent.Type type, UnaryOperator<Tenant> edit) {
    Objects.requireNonNull(id, "id");
    for (int attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      Tenant current = get(id);
      if (current.status() == TenantStatus.DELETED && type != TenantEvent.Type.DELETED) {
        throw new TenantStateException("tenant '" + id + "' is deleted");
      }
      Tenant edited = edit.apply(current);
      if (edited.status() == current.status() && type != TenantEvent.Type.UPDATED) {
        return current;
      }
      Instant now = now();
      Tenant next =
          new Tenant(
              edited.id(),
              edited.name(),
              edited.planId(),
              edited.status(),
              edited.settings(),
              edited.createdAt(),
              now,
              edited.status() == TenantStatus.DELETED && edited.deletedAt() == null
                  ? now
                  : edited.deletedAt(),
              current.version() + 1);
      if (store.tenants().update(next, current.version())) {
        publish(type, next, now);
        return next;
      }
    }
    throw new ConflictException("tenant '" + id + "' is being changed concurrently; retry");
  }

  private void publish(TenantEvent.Type type, Tenant tenant, Instant at) {
    TenantEvent event = new TenantEvent(type, tenant, at);
    for (TenantEventListener listener : listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("tenant event listener {} failed on {} of {}", listener, type, tenant.id(), e);
      }
    }
  }

  /** Stored times keep microseconds, what both H2 and PostgreSQL timestamps hold. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String validName(String name) {
    if (name == null || name.isBlank()) {
      throw new InvalidInputException("name", "is required");
    }
    String n = name.strip();
    if (n.length() > 200) {
      throw new InvalidInputException("name", "must be at most 200 characters");
    }
    if (n.chars().anyMatch(Character::isISOControl)) {
      throw new InvalidInputException("name", "must not contain control characters");
    }
    return n;
  }

  private String validPlan(String planId) {
    if (planId == null || !PLAN_ID.matcher(planId).matches()) {
      throw new InvalidInputException("plan", "must be 1 to 64 characters of a-z, 0-9, '-', '_'");
    }
    if (!knownPlan.test(planId)) {
      throw new InvalidInputException("plan", "there is no plan '" + planId + "'");
    }
    return planId;
  }
}
