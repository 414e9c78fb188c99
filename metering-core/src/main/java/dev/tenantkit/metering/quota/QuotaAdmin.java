package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Map;

/**
 * The administration of a {@link QuotaEnforcer}, reached through {@link QuotaEnforcer#admin()}:
 * where a tenant stands, its overrides, purging its quota state, and the plan catalog. Unlike
 * decisions, these calls throw {@link QuotaUnavailableException} when the store cannot be reached.
 * Implementations are thread-safe.
 */
public interface QuotaAdmin {

  /**
   * Where the tenant stands on every limit of its plan, in the plan's order.
   *
   * @throws UnknownPlanException if the tenant's plan is not in the catalog
   * @throws QuotaUnavailableException if the store cannot be reached
   */
  List<QuotaStatus> status(TenantId tenant);

  /**
   * Sets the tenant's own amount for a limit, replacing its plan's, or removes it. Takes effect for
   * the next decision on every instance sharing the store. For a rate limit the amount is the
   * bucket capacity, and the bucket still fills from empty in the time the plan's bucket does.
   *
   * @param amount non-negative, {@link LimitSpec#UNLIMITED} for no limit, or {@code null} to remove
   *     the override
   * @throws InvalidInputException if the limit is not in the catalog or the amount is negative
   * @throws QuotaUnavailableException if the store cannot be reached
   */
  void setOverride(TenantId tenant, String limit, Long amount);

  /**
   * The tenant's overrides by limit name.
   *
   * @throws QuotaUnavailableException if the store cannot be reached
   */
  Map<String, Long> overrides(TenantId tenant);

  /**
   * Removes all quota state of the tenant: usage, buckets, threshold markers and overrides.
   * Register it as a {@link dev.tenantkit.tenancy.spi.TenantPurger}, so it runs before the tenant
   * is removed and its failure fails the purge.
   *
   * @throws QuotaUnavailableException if the store cannot be reached
   */
  void purge(TenantId tenant);

  /** The catalog this enforcer uses. */
  PlanCatalog catalog();
}
