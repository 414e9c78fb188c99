package dev.tenantkit.tenancy;

/**
 * A lifecycle transition is not allowed from the tenant's current status, for example reactivating
 * a deleted tenant or purging one that is not deleted.
 */
public final class TenantStateException extends StateException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which transition was refused and why
   */
  public TenantStateException(String message) {
    super("invalid-tenant-state", message);
  }
}
