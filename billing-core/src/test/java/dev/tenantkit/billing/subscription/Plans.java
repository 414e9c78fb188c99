package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import java.math.BigDecimal;

/** Plan versions for the subscription tests. */
final class Plans {
  private Plans() {}

  static PlanVersion plan(String id, String fee) {
    return plan(id, fee, BillingInterval.MONTH, "USD");
  }

  static PlanVersion plan(String id, String fee, BillingInterval interval, String currency) {
    return PlanVersion.of(
        id,
        1,
        PlanPrices.of(
            currency,
            interval,
            PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal(fee))))));
  }
}
