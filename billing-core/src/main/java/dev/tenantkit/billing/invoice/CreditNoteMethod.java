package dev.tenantkit.billing.invoice;

import java.util.Locale;

/** What a credit note gives back (Lago's refund and credit methods). */
public enum CreditNoteMethod {
  /** Money paid back to the tenant; only for a paid invoice, at most what was paid in money. */
  REFUND,
  /** Added to the tenant's credit balance, which its next invoices use after tax. */
  CREDIT_BACK;

  /** {@code refund} or {@code credit_back}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
