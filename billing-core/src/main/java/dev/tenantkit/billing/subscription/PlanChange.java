package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.PlanVersion;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of a plan change, and its preview: when it takes effect, the proration lines (credits
 * for unused days of fees paid in advance, charges for the new plan's remaining days), their totals
 * and the net, and the subscription after it. Immutable.
 *
 * @param kind an upgrade or a downgrade
 * @param from the plan version before
 * @param to the plan version after
 * @param requestedAt when the change was asked for
 * @param effectiveAt when it takes effect: at once, or the end of the period for a downgrade
 * @param period the billing period the change falls in
 * @param remainingDays the days from the change day (included) to the end of the period; 0 when the
 *     change waits for the period end
 * @param ratio {@code remainingDays / period.cycleDays()}, 12 decimals half-up
 * @param credits the credit lines, one per prorated flat fee paid in advance
 * @param charges the charge lines, one per prorated flat fee of the new plan
 * @param creditTotal the sum of the credits' rounded amounts
 * @param chargeTotal the sum of the charges' rounded amounts
 * @param net {@code chargeTotal - creditTotal}: negative when the tenant is owed
 * @param subscription the subscription after the change (with the change pending for a deferred
 *     downgrade)
 */
public record PlanChange(
    Kind kind,
    PlanVersion from,
    PlanVersion to,
    Instant requestedAt,
    Instant effectiveAt,
    BillingPeriod period,
    long remainingDays,
    BigDecimal ratio,
    List<ProrationLine> credits,
    List<ProrationLine> charges,
    Money creditTotal,
    Money chargeTotal,
    Money net,
    Subscription subscription) {

  /** Whether the new plan costs more or less. */
  public enum Kind {
    /** The new plan's flat fee per month equals or exceeds the old one's: applies at once. */
    UPGRADE,
    /** The new plan's flat fee per month is lower: waits for the period end unless asked now. */
    DOWNGRADE
  }

  /** Checks that every component is present and copies the lists. */
  public PlanChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(requestedAt, "requestedAt");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(ratio, "ratio");
    credits = List.copyOf(credits);
    charges = List.copyOf(charges);
    Objects.requireNonNull(creditTotal, "creditTotal");
    Objects.requireNonNull(chargeTotal, "chargeTotal");
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(subscription, "subscription");
  }

  /** Whether the change takes effect now (an upgrade, or a downgrade asked for now). */
  public boolean immediate() {
    return effectiveAt.equals(requestedAt);
  }
}
