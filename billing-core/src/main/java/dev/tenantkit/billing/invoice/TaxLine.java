package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The tax of one rate on an invoice or credit note: the base it was computed on and the amount,
 * rounded once for the whole document. Immutable.
 *
 * @param rate the rate (or the exemption)
 * @param base the taxable base at this rate: the lines' rounded amounts less their share of the
 *     discounts, kept precise (the share may have more decimals than the currency)
 * @param amount {@code base * rate}, rounded half-up to the currency's minor unit once
 */
public record TaxLine(TaxRate rate, BigDecimal base, Money amount) {

  /** Checks that every component is present. */
  public TaxLine {
    Objects.requireNonNull(rate, "rate");
    base = Money.precise(Objects.requireNonNull(base, "base"));
    Objects.requireNonNull(amount, "amount");
  }
}
