package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.internal.StoreArguments;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.math.BigDecimal;
import java.time.InstantSource;
import java.util.Currency;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Credit notes, balances and their ledger. A balance changes only together with a ledger entry
 * whose primary key makes the change happen once ({@code +<key>} for a credit, {@code -<invoice>}
 * for an invoice's use), and is taken from by a conditional update ({@code amount >= taken}), so
 * two invoices racing never spend the same credit.
 */
final class CreditRows {
  private final JdbcStorage storage;
  private final InstantSource clock;

  CreditRows(JdbcStorage storage, InstantSource clock) {
    this.storage = storage;
    this.clock = clock;
  }

  void insertNote(CreditNote note, int priorNotes) {
    TenantId tenant = note.tenant();
    try {
      storage.useTenantTransaction(
          tenant,
          h -> {
            // The invoice's row lock orders the notes of one invoice: the count below cannot
            // change until this transaction ends.
            String status =
                h.createQuery(
                        "select status from tenantkit_billing_invoices"
                            + " where tenant_id = :tenant and id = :id for update")
                    .bind("tenant", tenant.value())
                    .bind("id", note.invoiceId())
                    .mapTo(String.class)
                    .findOne()
                    .orElseThrow(
                        () ->
                            new NotFoundException("the tenant has no invoice " + note.invoiceId()));
            if (status.equals(InvoiceStatus.VOID.wireName())) {
              throw new InvoiceStateException(
                  "invoice " + note.invoiceId() + " was voided meanwhile: it takes no credit note");
            }
            long prior =
                h.createQuery(
                        "select count(*) from tenantkit_billing_credit_notes"
                            + " where tenant_id = :tenant and invoice_id = :invoice")
                    .bind("tenant", tenant.value())
                    .bind("invoice", note.invoiceId())
                    .mapTo(Long.class)
                    .one();
            if (prior != priorNotes) {
              throw new InvoiceStateException(
                  "invoice "
                      + note.invoiceId()
                      + " had another credit note meanwhile: decide again");
            }
            // seq orders an invoice's notes (the lock above makes it unique).
            h.createUpdate(
                    "insert into tenantkit_billing_credit_notes (tenant_id, id, invoice_id, seq,"
                        + " document) select :tenant, :id, :invoice, coalesce(max(seq), 0) + 1,"
                        + " :document from tenantkit_billing_credit_notes"
                        + " where tenant_id = :tenant and invoice_id = :invoice")
                .bind("tenant", tenant.value())
                .bind("id", note.id())
                .bind("invoice", note.invoiceId())
                .bind("document", Documents.write(note))
                .execute();
            if (!note.creditedBack().isZero()) {
              credit(
                  h, tenant, CreditAccount.CREDIT_NOTES, "note:" + note.id(), note.creditedBack());
            }
          });
    } catch (JdbiException e) {
      if (JdbcStorage.isUniqueViolation(e)) {
        throw new ConflictException("the tenant has a credit note with this id");
      }
      throw e;
    }
  }

  List<CreditNote> notes(TenantId tenant, String invoiceId) {
    return storage.inTenantTransaction(
        tenant,
        h ->
            h.createQuery(
                    "select document from tenantkit_billing_credit_notes"
                        + " where tenant_id = :tenant and invoice_id = :invoice order by seq, id")
                .bind("tenant", tenant.value())
                .bind("invoice", invoiceId)
                .map((rs, ctx) -> Documents.read(rs.getString(1), CreditNote.class))
                .list());
  }

  Money balance(TenantId tenant, CreditAccount account, Currency currency) {
    BigDecimal amount =
        storage.inTenantTransaction(
            tenant,
            h ->
                h.createQuery(
                        "select amount from tenantkit_billing_balances where tenant_id = :tenant"
                            + " and account = :account and currency = :currency")
                    .bind("tenant", tenant.value())
                    .bind("account", account.wireName())
                    .bind("currency", currency.getCurrencyCode())
                    .mapTo(BigDecimal.class)
                    .findOne()
                    .orElse(BigDecimal.ZERO));
    return Money.of(amount, currency);
  }

  boolean credit(TenantId tenant, CreditAccount account, String key, Money amount) {
    StoreArguments.key("entry_key", key);
    StoreArguments.positive(amount);
    return storage.inTenantTransaction(tenant, h -> credit(h, tenant, account, key, amount));
  }

  private boolean credit(
      Handle h, TenantId tenant, CreditAccount account, String key, Money amount) {
    if (!entry(h, tenant, account, "+" + key, amount)) {
      return false;
    }
    String currency = amount.currency().getCurrencyCode();
    // The balance row exists from its first credit on; a concurrent first credit of the same
    // balance inserts nothing here and both add to the one row, serialised by its lock.
    h.createUpdate(
            "insert into tenantkit_billing_balances (tenant_id, account, currency, amount)"
                + " values (:tenant, :account, :currency, 0) on conflict do nothing")
        .bind("tenant", tenant.value())
        .bind("account", account.wireName())
        .bind("currency", currency)
        .execute();
    h.createUpdate(
            "update tenantkit_billing_balances set amount = amount + :amount"
                + " where tenant_id = :tenant and account = :account and currency = :currency")
        .bind("tenant", tenant.value())
        .bind("account", account.wireName())
        .bind("currency", currency)
        .bind("amount", amount.amount())
        .execute();
    return true;
  }

  boolean consume(TenantId tenant, CreditAccount account, String invoiceId, Money amount) {
    StoreArguments.key("invoice_id", invoiceId);
    StoreArguments.positive(amount);
    return storage.inTenantTransaction(tenant, h -> consume(h, tenant, account, invoiceId, amount));
  }

  /**
   * Takes what a finalized invoice applied of its credit-note and wallet balances, in the
   * finalizing transaction {@code h}: once per invoice and account (a ledger entry keyed by the
   * invoice id).
   *
   * @throws ConflictException if a balance is less than the invoice applies; the caller's
   *     transaction rolls back
   */
  void consumeApplied(Handle h, Invoice invoice) {
    take(h, invoice, CreditAccount.CREDIT_NOTES, invoice.creditNotesApplied());
    take(h, invoice, CreditAccount.WALLET, invoice.prepaidCreditsApplied());
  }

  private void take(Handle h, Invoice invoice, CreditAccount account, Money amount) {
    if (amount.isZero()) {
      return;
    }
    try {
      consume(h, invoice.tenant(), account, invoice.id(), amount);
    } catch (InvalidInputException e) {
      throw new ConflictException(
          "the "
              + account.wireName()
              + " balance of '"
              + invoice.tenant()
              + "' is less than invoice "
              + invoice.id()
              + " applies ("
              + amount
              + "); compute the invoice again");
    }
  }

  private boolean consume(
      Handle h, TenantId tenant, CreditAccount account, String invoiceId, Money amount) {
    if (!entry(h, tenant, account, "-" + invoiceId, amount.negate())) {
      return false;
    }
    int taken =
        h.createUpdate(
                "update tenantkit_billing_balances set amount = amount - :amount where"
                    + " tenant_id = :tenant and account = :account and currency ="
                    + " :currency and amount >= :amount")
            .bind("tenant", tenant.value())
            .bind("account", account.wireName())
            .bind("currency", amount.currency().getCurrencyCode())
            .bind("amount", amount.amount())
            .execute();
    if (taken == 0) {
      // Rolls back the ledger entry with the transaction.
      throw new InvalidInputException("amount", "is more than the balance");
    }
    return true;
  }

  private boolean entry(Handle h, TenantId tenant, CreditAccount account, String key, Money m) {
    return h.createUpdate(
                "insert into tenantkit_billing_ledger (tenant_id, account, entry_key, currency,"
                    + " amount, created_at) values (:tenant, :account, :key, :currency, :amount,"
                    + " :at) on conflict do nothing")
            .bind("tenant", tenant.value())
            .bind("account", account.wireName())
            .bind("key", key)
            .bind("currency", m.currency().getCurrencyCode())
            .bind("amount", m.amount())
            .bind("at", clock.instant())
            .execute()
        == 1;
  }
}
