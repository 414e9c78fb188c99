package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.subscription.BillingPeriod;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The current billing period so far ({@link PeriodBiller#summary}): each charge in arrears with its
 * usage and amount so far, before tax, coupons and credits. Immutable.
 *
 * @param period the current period
 * @param asOf the instant the usage was read up to
 * @param daysElapsed the days of the period begun by {@code asOf}, its own day included
 * @param daysRemaining the days of the period not over at {@code asOf}: from its day (included) to
 *     the period's end, the count {@link
 *     dev.tenantkit.billing.subscription.PlanChange#remainingDays()} of a plan change at {@code
 *     asOf} prorates by (so {@code asOf}'s day is in both counts)
 * @param charges the charges in arrears that bill something so far, in plan order
 * @param amountSoFar the sum of their rounded amounts
 */
public record BillingSummary(
    BillingPeriod period,
    Instant asOf,
    long daysElapsed,
    long daysRemaining,
    List<ChargeUsage> charges,
    Money amountSoFar) {

  /** Checks and copies the components. */
  public BillingSummary {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(asOf, "asOf");
    charges = List.copyOf(charges);
    Objects.requireNonNull(amountSoFar, "amountSoFar");
  }

  /**
   * One charge so far.
   *
   * @param chargeCode the charge's code
   * @param description the invoice line's text
   * @param quantity the quantity priced (for an overage charge, the units above the limit)
   * @param amount the amount so far, rounded
   */
  public record ChargeUsage(
      String chargeCode, String description, BigDecimal quantity, Money amount) {
    /** Checks every component is present. */
    public ChargeUsage {
      Objects.requireNonNull(chargeCode, "chargeCode");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(amount, "amount");
    }
  }
}
