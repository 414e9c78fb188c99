package dev.tenantkit.tenancy;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant as stored. Immutable and thread-safe; change it through {@link TenantService}.
 *
 * @param id the immutable id
 * @param name the display name, unique among tenants ignoring case
 * @param planId the plan the tenant is on
 * @param status where the tenant is in its lifecycle
 * @param settings its settings
 * @param createdAt when it was created
 * @param updatedAt when it was last changed
 * @param deletedAt when it was soft-deleted, or {@code null}
 * @param version increases by one with every change; used for optimistic concurrency
 */
public record Tenant(
    TenantId id,
    String name,
    String planId,
    TenantStatus status,
    TenantSettings settings,
    Instant createdAt,
    Instant updatedAt,
    Instant deletedAt,
    long version) {

  /** Checks that no required component is null. */
  public Tenant {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(planId, "planId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** Whether the tenant may serve requests. */
  public boolean isActive() {
    return status == TenantStatus.ACTIVE;
  }
}
