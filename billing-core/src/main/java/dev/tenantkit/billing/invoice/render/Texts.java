package dev.tenantkit.billing.invoice.render;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.price.FeeStep;
import java.math.BigDecimal;
import java.util.Currency;

/** The words and numbers every renderer prints alike. Stateless. */
final class Texts {
  private Texts() {}

  /** {@code 29.00}: rounded amounts with exactly the currency's decimals. */
  static String amount(Money m) {
    return m.rounded().toPlainString();
  }

  /** {@code 29.00 USD}. */
  static String money(Money m) {
    return amount(m) + " " + m.currency().getCurrencyCode();
  }

  /** A precise decimal (quantity, unit price) without trailing zeros or exponent. */
  static String decimal(BigDecimal d) {
    return Money.precise(d).toPlainString();
  }

  /**
   * A precise unit price, shown with at least the currency's decimals: {@code 0.0001}, {@code
   * 0.50}.
   */
  static String price(BigDecimal d, Currency currency) {
    BigDecimal p = Money.precise(d);
    return p.setScale(Math.max(p.scale(), currency.getDefaultFractionDigits())).toPlainString();
  }

  /** {@code Invoice TK-2026-000042}, or {@code Draft invoice} before it has a number. */
  static String title(Invoice invoice) {
    return invoice.number() == null ? "Draft invoice" : "Invoice " + invoice.number();
  }

  /** The unit price column: the price, or {@code tiers} when the amount comes from steps. */
  static String unitPrice(InvoiceLine line, Currency currency) {
    return line.unitPrice() == null ? "see steps" : price(line.unitPrice(), currency);
  }

  /** One step: {@code tier 2 (101-1000): 400 x 0.08 + 5.00 = 37.00}. */
  static String step(FeeStep s, Currency currency) {
    StringBuilder b = new StringBuilder(s.label()).append(": ").append(decimal(s.units()));
    if (s.unitPrice() != null) {
      b.append(" x ").append(price(s.unitPrice(), currency));
    }
    if (s.flatFee().signum() != 0) {
      b.append(" + ").append(price(s.flatFee(), currency));
    }
    return b.append(" = ").append(price(s.amount(), currency)).toString();
  }
}
