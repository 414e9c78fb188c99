package dev.tenantkit.tenancy;

/** Where a tenant is in its lifecycle. */
public enum TenantStatus {
  /** Serves requests. */
  ACTIVE,
  /** Kept with all its data, but its requests are refused until it is reactivated. */
  SUSPENDED,
  /** Soft-deleted: refused like an unknown tenant and waiting to be purged. */
  DELETED
}
