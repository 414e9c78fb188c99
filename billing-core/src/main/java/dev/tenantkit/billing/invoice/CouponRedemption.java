package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import java.util.Objects;

/**
 * A coupon given to a tenant and how much of it has been used: on how many invoices it was applied
 * and, for a fixed coupon, the amount taken off so far. Immutable; the store keeps it and replaces
 * it with {@link #after(AppliedDiscount)} when an invoice that used it is finalized.
 *
 * <p>The rule of "does it apply to this invoice?" ({@link #appliesToNextInvoice()}):
 *
 * <ul>
 *   <li>{@link Coupon.Duration#ONCE}: a percentage coupon applies to one invoice; a fixed one
 *       applies until its amount is used up (Lago keeps the remainder of a fixed once coupon for
 *       the following invoices);
 *   <li>{@link Coupon.Duration#REPEATING}: to the invoices of its first {@code periods} billing
 *       periods;
 *   <li>{@link Coupon.Duration#FOREVER}: to every invoice.
 * </ul>
 *
 * @param coupon the coupon
 * @param invoicesApplied the number of finalized invoices it has been applied to
 * @param amountUsed for a fixed coupon, the total taken off so far (zero for a percentage coupon)
 */
public record CouponRedemption(Coupon coupon, int invoicesApplied, Money amountUsed) {

  /**
   * Checks the components.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException if a count or amount is negative, or the
   *     amount is in another currency than a fixed coupon's
   */
  public CouponRedemption {
    Objects.requireNonNull(coupon, "coupon");
    if (invoicesApplied < 0) {
      throw new dev.tenantkit.tenancy.InvalidInputException(
          "invoices_applied", "a coupon is applied to zero or more invoices");
    }
    if (amountUsed != null && amountUsed.isNegative()) {
      throw new dev.tenantkit.tenancy.InvalidInputException(
          "amount_used", "a coupon's used amount is zero or more");
    }
    if (coupon.amountOff() != null) {
      if (amountUsed == null) {
        amountUsed = Money.zero(coupon.amountOff().currency());
      } else if (!amountUsed.currency().equals(coupon.amountOff().currency())) {
        throw new CurrencyMismatchException(
            "amount_used", coupon.amountOff().currency(), amountUsed.currency());
      }
    }
  }

  /** A coupon just given, not yet used. */
  public static CouponRedemption fresh(Coupon coupon) {
    return new CouponRedemption(coupon, 0, null);
  }

  /** Whether the coupon applies to the tenant's next invoice (see the class comment). */
  public boolean appliesToNextInvoice() {
    return switch (coupon.duration()) {
      case ONCE -> coupon.isPercentage() ? invoicesApplied == 0 : !remainingFixedAmount().isZero();
      case REPEATING -> invoicesApplied < coupon.periods();
      case FOREVER -> true;
    };
  }

  /**
   * What a fixed coupon may still take off the next invoice: the rest of a once coupon, the whole
   * amount of a recurring or forever one.
   *
   * @throws IllegalStateException for a percentage coupon
   */
  public Money remainingFixedAmount() {
    if (coupon.isPercentage()) {
      throw new IllegalStateException("a percentage coupon has no amount");
    }
    if (coupon.duration() != Coupon.Duration.ONCE) {
      return coupon.amountOff();
    }
    return coupon.amountOff().minus(amountUsed).max(Money.zero(coupon.amountOff().currency()));
  }

  /** This redemption after an invoice that applied the coupon was finalized. */
  public CouponRedemption after(AppliedDiscount applied) {
    Objects.requireNonNull(applied, "applied");
    return new CouponRedemption(
        coupon,
        invoicesApplied + 1,
        coupon.isPercentage() ? null : amountUsed.plus(applied.amount()));
  }
}
