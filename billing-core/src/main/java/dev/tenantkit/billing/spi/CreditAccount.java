package dev.tenantkit.billing.spi;

/**
 * The two balances a tenant holds per currency, both used on invoices after tax (see
 * docs/billing.md, "Composition order").
 */
public enum CreditAccount {
  /** Credit notes credited back to the tenant ({@code CreditNoteMethod.CREDIT_BACK}). */
  CREDIT_NOTES,
  /** The prepaid wallet: credit granted or purchased. */
  WALLET;

  /** The name stored in the {@code account} column. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
