package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A {@link Charge} priced for one period, every amount precise (not yet rounded to the currency):
 * {@code total = subtotal - discount + minimumTrueUp}. Immutable.
 *
 * @param charge the charge
 * @param quantity the aggregated quantity after the charge's rounding
 * @param billedQuantity the quantity priced: {@code quantity} less the free units, not below zero
 * @param fee what the price model charged for {@code billedQuantity}
 * @param subtotal the fee, prorated by the period fraction when the charge is a prorated flat fee
 * @param discount the charge's percentage discount of {@code subtotal}
 * @param minimumTrueUp what lifts the charge to its (prorated) spending minimum; zero when none
 * @param total what the charge bills
 */
public record ChargeFee(
    Charge charge,
    BigDecimal quantity,
    BigDecimal billedQuantity,
    Fee fee,
    BigDecimal subtotal,
    BigDecimal discount,
    BigDecimal minimumTrueUp,
    BigDecimal total) {

  /** Checks that every component is present and rounds the amounts to the precise scale. */
  public ChargeFee {
    Objects.requireNonNull(charge, "charge");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(billedQuantity, "billedQuantity");
    Objects.requireNonNull(fee, "fee");
    subtotal = Money.precise(subtotal);
    discount = Money.precise(discount);
    minimumTrueUp = Money.precise(minimumTrueUp);
    total = Money.precise(total);
  }
}
