package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Currency;

/**
 * An amount given for an invoice (a priced charge, a fixed coupon, a credit or wallet balance, a
 * credit note) is in another currency than the invoice. Nothing is converted: the input is refused.
 * Code {@code currency-mismatch}; a 400 over HTTP.
 */
public final class CurrencyMismatchException extends InvalidInputException {
  private static final long serialVersionUID = 1L;

  /**
   * @param field what carried the other currency
   * @param expected the invoice's currency
   * @param actual the currency given
   */
  public CurrencyMismatchException(String field, Currency expected, Currency actual) {
    super(
        "currency-mismatch",
        field,
        field
            + " is in "
            + actual.getCurrencyCode()
            + " but the invoice is in "
            + expected.getCurrencyCode());
  }
}
