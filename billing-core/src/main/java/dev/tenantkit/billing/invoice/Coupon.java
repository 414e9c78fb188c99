package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A discount on a tenant's invoices: a percentage or a fixed amount, for one invoice, for N billing
 * periods, or forever (Lago's "once", "recurring" and "forever" coupon frequencies; Stripe's
 * "once", "repeating" and "forever" coupon durations). Immutable.
 *
 * <p>A coupon applies after the fees and before tax, so it lowers the taxable base. A fixed coupon
 * larger than what is left of the invoice is capped there: an invoice never goes negative. A fixed
 * {@link Duration#ONCE} coupon that is not used up keeps its remainder for the next invoices until
 * it is; a fixed recurring or forever coupon gives up to its amount each period and what one period
 * does not use is lost (see {@link CouponRedemption}).
 *
 * @param code the coupon's code, {@code [A-Za-z0-9_-]{1,64}}
 * @param percentOff the percentage taken off, over 0 and at most 100; {@code null} for a fixed
 *     coupon
 * @param amountOff the fixed amount taken off, over zero; {@code null} for a percentage coupon
 * @param duration how long the coupon applies
 * @param periods for {@link Duration#REPEATING}, the number of billing periods (1 or more); 0
 *     otherwise
 */
public record Coupon(
    String code, BigDecimal percentOff, Money amountOff, Duration duration, int periods) {
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** How long a coupon applies. */
  public enum Duration {
    /** To one invoice (a fixed amount: until it is used up). */
    ONCE,
    /** To the invoices of a number of billing periods. */
    REPEATING,
    /** To every invoice. */
    FOREVER
  }

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the code is malformed, the coupon is not exactly one of
   *     percentage and fixed, the percentage is not over 0 and at most 100, the amount is not over
   *     zero and rounded to its currency, or {@code periods} does not fit the duration
   */
  public Coupon {
    if (code == null || !CODE.matcher(code).matches()) {
      throw new InvalidInputException("code", "a coupon code is [A-Za-z0-9_-]{1,64}");
    }
    if ((percentOff == null) == (amountOff == null)) {
      throw new InvalidInputException(
          "percent_off", "coupon '" + code + "' is either a percentage or a fixed amount");
    }
    if (percentOff != null) {
      if (percentOff.signum() <= 0 || percentOff.compareTo(HUNDRED) > 0) {
        throw new InvalidInputException(
            "percent_off", "coupon '" + code + "': a percentage off is over 0 and at most 100");
      }
      percentOff = Money.precise(percentOff);
    }
    if (amountOff != null && (amountOff.isNegative() || amountOff.isZero())) {
      throw new InvalidInputException(
          "amount_off", "coupon '" + code + "': an amount off is over zero");
    }
    if (amountOff != null && !amountOff.isRounded()) {
      throw new InvalidInputException(
          "amount_off", "coupon '" + code + "': an amount off is rounded to its currency");
    }
    Objects.requireNonNull(duration, "duration");
    if (duration == Duration.REPEATING ? periods < 1 : periods != 0) {
      throw new InvalidInputException(
          "periods", "coupon '" + code + "': a repeating coupon has 1 or more periods, others 0");
    }
  }

  /** A percentage off, such as {@code 20} for 20 percent. */
  public static Coupon percent(String code, BigDecimal percentOff, Duration duration, int periods) {
    return new Coupon(code, percentOff, null, duration, periods);
  }

  /** A fixed amount off. */
  public static Coupon fixed(String code, Money amountOff, Duration duration, int periods) {
    return new Coupon(code, null, amountOff, duration, periods);
  }

  /** Whether this is a percentage coupon. */
  public boolean isPercentage() {
    return percentOff != null;
  }

  /** {@code "WELCOME: 20% off"} or {@code "WELCOME: 10.00 USD off"}. */
  public String describe() {
    return code
        + ": "
        + (isPercentage() ? percentOff.toPlainString() + "%" : amountOff.toString())
        + " off";
  }
}
