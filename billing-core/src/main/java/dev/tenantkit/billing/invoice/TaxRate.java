package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The tax rate of an invoice line, in percent, or the tenant's tax exemption. Immutable.
 *
 * <p>The original design's default is 10 percent ({@link #DEFAULT}); a tenant may have its own rate
 * or be {@link #EXEMPT}. An exempt line bears no tax; the invoice shows it under a zero "exempt"
 * tax line rather than hiding it.
 *
 * @param percent the rate, 0 to 100 (zero when exempt)
 * @param exempt whether the tenant is exempt from tax
 */
public record TaxRate(BigDecimal percent, boolean exempt) {
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /** The default rate of the original design: 10 percent. */
  public static final TaxRate DEFAULT = new TaxRate(BigDecimal.TEN, false);

  /** Exempt from tax. */
  public static final TaxRate EXEMPT = new TaxRate(BigDecimal.ZERO, true);

  /**
   * Checks the rate.
   *
   * @throws InvalidInputException if the rate is missing, negative, over 100, or non-zero while
   *     exempt
   */
  public TaxRate {
    if (percent == null || percent.signum() < 0 || percent.compareTo(HUNDRED) > 0) {
      throw new InvalidInputException("tax_rate", "a tax rate is 0 to 100 percent");
    }
    if (exempt && percent.signum() != 0) {
      throw new InvalidInputException("tax_rate", "an exempt tax rate is zero");
    }
    percent = Money.precise(percent);
  }

  /**
   * A rate in percent, such as {@code "20"} or {@code "8.875"}.
   *
   * @throws InvalidInputException if the rate is not a decimal from 0 to 100
   */
  public static TaxRate of(String percent) {
    try {
      return new TaxRate(new BigDecimal(percent), false);
    } catch (NumberFormatException | NullPointerException e) {
      throw new InvalidInputException("tax_rate", "is not a decimal number: '" + percent + "'");
    }
  }

  /** A rate in percent. */
  public static TaxRate of(BigDecimal percent) {
    return new TaxRate(percent, false);
  }

  /** The tax on {@code base}, precise (not rounded): {@code base * percent / 100}. */
  public BigDecimal taxOn(BigDecimal base) {
    return Money.precise(
        base.multiply(percent).divide(HUNDRED, Money.PRECISE_SCALE, RoundingMode.HALF_UP));
  }

  /** {@code "10%"}, or {@code "exempt"}. */
  public String label() {
    return exempt ? "exempt" : percent.toPlainString() + "%";
  }
}
