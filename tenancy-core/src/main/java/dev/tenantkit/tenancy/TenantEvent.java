package dev.tenantkit.tenancy;

import java.time.Instant;
import java.util.Objects;

/**
 * A change in a tenant's lifecycle, published to {@link
 * dev.tenantkit.tenancy.spi.TenantEventListener}s after it is stored.
 *
 * @param type what happened
 * @param tenant the tenant after the change (for {@link Type#PURGED}, the last state before it)
 * @param at when it happened
 */
public record TenantEvent(Type type, Tenant tenant, Instant at) {

  /** Checks that no component is null. */
  public TenantEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(at, "at");
  }

  /** The kinds of lifecycle change. */
  public enum Type {
    /** The tenant was created. */
    CREATED,
    /** Its name, plan or settings changed. */
    UPDATED,
    /** It was suspended. */
    SUSPENDED,
    /** It was reactivated after a suspension. */
    REACTIVATED,
    /** It was soft-deleted. */
    DELETED,
    /** It and its data were removed for good; modules delete their own rows on this event. */
    PURGED
  }
}
