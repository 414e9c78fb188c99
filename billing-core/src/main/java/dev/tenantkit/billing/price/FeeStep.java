package dev.tenantkit.billing.price;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One step of how a fee was reached, for the invoice to show: a tier, a package count, the
 * transactions at a rate. Immutable.
 *
 * @param label what the step is, such as {@code "tier 2 (101-1000)"}
 * @param units the units priced in this step
 * @param unitPrice the price per unit (or per block, package or percent as the label says), or
 *     {@code null} when the step has none
 * @param flatFee the flat fee of the step, zero when none
 * @param amount the step's precise amount
 */
public record FeeStep(
    String label, BigDecimal units, BigDecimal unitPrice, BigDecimal flatFee, BigDecimal amount) {

  /** Checks that the required components are present. */
  public FeeStep {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(units, "units");
    Objects.requireNonNull(flatFee, "flatFee");
    Objects.requireNonNull(amount, "amount");
  }
}
