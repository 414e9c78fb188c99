package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.FeeStep;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One line of an invoice: what a charge billed for the period, with how it was reached. Immutable.
 *
 * <p>The line keeps its {@code preciseAmount} (up to {@link Money#PRECISE_SCALE} decimals, as the
 * price model computed it) and its {@code amount}, that precise amount rounded half-up once to the
 * currency's minor unit. The invoice sums the rounded amounts, so the lines printed add up to the
 * subtotal printed.
 *
 * @param chargeCode the charge's code in its plan version (or a code such as {@code correction} for
 *     a line not produced by a charge)
 * @param description what the line is, for the reader
 * @param quantity the quantity billed (the aggregated usage after rounding; 1 for a flat fee)
 * @param unitPrice the price per unit when one price applies to every unit, or {@code null} when
 *     the amount comes from several {@code steps} (tiers, packages)
 * @param steps how the fee was reached, one per tier or package step; may be empty
 * @param chargeDiscount the charge's own percentage discount already taken off (precise), zero when
 *     none
 * @param minimumTrueUp what the charge's spending minimum added (precise), zero when none
 * @param preciseAmount the line's amount before rounding to money; never negative except on a
 *     correction line
 * @param amount {@code preciseAmount} rounded half-up to the currency's minor unit
 * @param taxRate the tax rate that applies to this line
 */
public record InvoiceLine(
    String chargeCode,
    String description,
    BigDecimal quantity,
    BigDecimal unitPrice,
    List<FeeStep> steps,
    BigDecimal chargeDiscount,
    BigDecimal minimumTrueUp,
    BigDecimal preciseAmount,
    Money amount,
    TaxRate taxRate) {

  /**
   * Checks the components and that {@code amount} is {@code preciseAmount} rounded.
   *
   * @throws InvalidInputException if a component is missing or the two amounts disagree
   */
  public InvoiceLine {
    if (chargeCode == null || chargeCode.isBlank()) {
      throw new InvalidInputException("charge_code", "an invoice line names its charge");
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(quantity, "quantity");
    steps = List.copyOf(steps);
    chargeDiscount = Money.precise(Objects.requireNonNull(chargeDiscount, "chargeDiscount"));
    minimumTrueUp = Money.precise(Objects.requireNonNull(minimumTrueUp, "minimumTrueUp"));
    preciseAmount = Money.precise(Objects.requireNonNull(preciseAmount, "preciseAmount"));
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(taxRate, "taxRate");
    if (!amount.equals(Money.of(preciseAmount, amount.currency()).rounded())) {
      throw new InvalidInputException(
          "amount", "line '" + chargeCode + "': the amount is the precise amount rounded");
    }
  }

  /**
   * The line for a priced charge: the precise amount is {@link ChargeFee#total()}, the unit price
   * is the model's when it has a single priced step, and the steps are the model's.
   *
   * @param fee the charge priced for the period
   * @param description the line's text; the charge code when {@code null}
   * @param currency the invoice's currency
   * @param taxRate the tax rate of the line
   */
  public static InvoiceLine of(
      ChargeFee fee, String description, java.util.Currency currency, TaxRate taxRate) {
    List<FeeStep> steps = fee.fee().steps();
    BigDecimal unitPrice =
        steps.size() == 1
                && steps.get(0).unitPrice() != null
                && steps.get(0).flatFee().signum() == 0
            ? steps.get(0).unitPrice()
            : null;
    BigDecimal quantity = fee.charge().isFlat() ? BigDecimal.ONE : fee.quantity();
    return new InvoiceLine(
        fee.charge().code(),
        description == null ? fee.charge().code() : description,
        quantity,
        unitPrice,
        steps,
        fee.discount(),
        fee.minimumTrueUp(),
        fee.total(),
        Money.of(fee.total(), currency).rounded(),
        taxRate);
  }

  /**
   * A line given as an amount (a correction for late usage, a one-off item).
   *
   * @param code the line's code
   * @param description the line's text
   * @param preciseAmount the amount before rounding (may be negative for a correction)
   * @param currency the invoice's currency
   * @param taxRate the tax rate of the line
   */
  public static InvoiceLine ofAmount(
      String code,
      String description,
      BigDecimal preciseAmount,
      java.util.Currency currency,
      TaxRate taxRate) {
    return new InvoiceLine(
        code,
        description,
        BigDecimal.ONE,
        Money.precise(preciseAmount),
        List.of(),
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        preciseAmount,
        Money.of(preciseAmount, currency).rounded(),
        taxRate);
  }
}
