package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Objects;

/**
 * What a credit note credits on one invoice line, tax excluded. Immutable.
 *
 * @param lineIndex the position of the line on the invoice (0 first)
 * @param chargeCode the line's charge code, for the reader
 * @param amount the amount credited on the line before tax, rounded, over zero
 * @param taxRate the line's tax rate, which the credit note's tax applies
 */
public record CreditNoteItem(int lineIndex, String chargeCode, Money amount, TaxRate taxRate) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the index is negative or the amount is not over zero and
   *     rounded
   */
  public CreditNoteItem {
    if (lineIndex < 0) {
      throw new InvalidInputException("line", "a line index is zero or more");
    }
    Objects.requireNonNull(chargeCode, "chargeCode");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(taxRate, "taxRate");
    if (amount.isNegative() || amount.isZero() || !amount.isRounded()) {
      throw new InvalidInputException(
          "amount", "a credited amount is over zero and rounded to the currency");
    }
  }
}
