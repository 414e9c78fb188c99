package dev.tenantkit.tenancy.spi;

import dev.tenantkit.tenancy.TenantId;

/**
 * Removes one module's data of a tenant that is being purged: its usage, its quota state, its
 * files. {@link dev.tenantkit.tenancy.TenantService#purge} calls every purger before it removes the
 * tenant and its API keys, so a purger that throws leaves the tenant deleted but not purged, and
 * the purge can be retried. Without that order a failed clean-up would strand the data under an id
 * that can be created again, and the next tenant of that id would read it.
 *
 * <p>Called on the purging thread, in the order registered. Implementations must be idempotent (a
 * retried purge calls every purger again) and must not fail for a tenant that has no data.
 */
@FunctionalInterface
public interface TenantPurger {

  /**
   * Deletes everything this module keeps for the tenant.
   *
   * @param tenant the tenant being purged; it is deleted, so no request of it is served
   * @throws RuntimeException if the data could not be deleted; the purge then fails
   */
  void purge(TenantId tenant);
}
