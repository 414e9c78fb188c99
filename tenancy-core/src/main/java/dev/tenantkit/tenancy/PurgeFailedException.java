package dev.tenantkit.tenancy;

/**
 * A module could not remove its data of a tenant being purged (its store is unreachable, say). The
 * tenant is still there, deleted, and nothing of its data is served; the purge can be retried once
 * the cause is fixed. The cause is the module's own failure.
 */
public final class PurgeFailedException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  /**
   * @param tenant the tenant whose purge failed
   * @param cause the failure of the purger
   */
  public PurgeFailedException(TenantId tenant, Throwable cause) {
    super(
        "purge-failed",
        "the data of tenant '"
            + tenant
            + "' could not all be removed, so the tenant was kept (deleted); retry the purge",
        cause);
  }
}
