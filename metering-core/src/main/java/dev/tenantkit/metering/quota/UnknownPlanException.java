package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantkitException;

/**
 * A tenant is on a plan the {@link PlanCatalog} does not define: the catalog and the tenants' plans
 * disagree, which is a configuration error to fix, not a reason to guess a plan.
 */
public final class UnknownPlanException extends TenantkitException {
  private static final long serialVersionUID = 1L;

  private final String planId;

  /**
   * @param tenant the tenant whose plan was looked up
   * @param planId the plan it is on, or {@code null} if the plan lookup gave none
   */
  public UnknownPlanException(TenantId tenant, String planId) {
    super(
        "quota-unknown-plan",
        "tenant '"
            + tenant
            + "' is on plan '"
            + planId
            + "', which the plan catalog does not define");
    this.planId = planId;
  }

  /** The plan id that is not in the catalog. */
  public String planId() {
    return planId;
  }
}
