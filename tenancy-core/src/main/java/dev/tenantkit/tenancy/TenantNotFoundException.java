package dev.tenantkit.tenancy;

/** No tenant with the given id exists (or it has been purged). */
public final class TenantNotFoundException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  private final transient TenantId tenantId;

  /**
   * @param tenantId the id that was looked up
   */
  public TenantNotFoundException(TenantId tenantId) {
    super("tenant-not-found", "tenant '" + tenantId + "' does not exist");
    this.tenantId = tenantId;
  }

  /** The id that was looked up. */
  public TenantId tenantId() {
    return tenantId;
  }
}
