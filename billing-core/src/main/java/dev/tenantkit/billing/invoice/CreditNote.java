package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * A credit note against a finalized invoice: per line, what is credited before tax, the tax on it
 * (one line per rate, rounded once per note) and the total, refunded or credited back to the
 * tenant's balance. Immutable; computed by {@link CreditNotes}.
 *
 * @param id the credit note's id (given by the caller)
 * @param tenant the tenant of the invoice
 * @param invoiceId the invoice credited
 * @param invoiceNumber the invoice's number
 * @param currency the invoice's currency
 * @param issueDate the date of issue
 * @param reason why it was issued
 * @param description free text for the reader; may be empty
 * @param method refund or credit back
 * @param items what is credited per line, before tax
 * @param taxLines the tax credited per rate
 * @param subtotal the sum of the items
 * @param taxTotal the sum of the tax lines
 * @param total {@code subtotal + taxTotal}
 */
public record CreditNote(
    String id,
    TenantId tenant,
    String invoiceId,
    InvoiceNumber invoiceNumber,
    Currency currency,
    LocalDate issueDate,
    CreditNoteReason reason,
    String description,
    CreditNoteMethod method,
    List<CreditNoteItem> items,
    List<TaxLine> taxLines,
    Money subtotal,
    Money taxTotal,
    Money total) {

  /**
   * Checks the components and that the amounts add up.
   *
   * @throws InvalidInputException if a component is missing, a note has no item, an amount is in
   *     another currency, or the amounts do not add up
   */
  public CreditNote {
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new InvalidInputException("id", "a credit note id is 1 to 64 characters");
    }
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(invoiceId, "invoiceId");
    Objects.requireNonNull(invoiceNumber, "invoiceNumber");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(reason, "reason");
    description = description == null ? "" : description;
    Objects.requireNonNull(method, "method");
    items = List.copyOf(items);
    taxLines = List.copyOf(taxLines);
    if (items.isEmpty()) {
      throw new InvalidInputException("items", "a credit note credits at least one line");
    }
    Money zero = Money.zero(currency);
    Money itemSum = zero;
    for (CreditNoteItem i : items) {
      same("items", currency, i.amount());
      itemSum = itemSum.plus(i.amount());
    }
    Money taxSum = zero;
    for (TaxLine t : taxLines) {
      same("tax_lines", currency, t.amount());
      taxSum = taxSum.plus(t.amount());
    }
    same("subtotal", currency, subtotal);
    same("tax_total", currency, taxTotal);
    same("total", currency, total);
    if (!subtotal.equals(itemSum)
        || !taxTotal.equals(taxSum)
        || !total.equals(subtotal.plus(taxTotal))) {
      throw new InvalidInputException("total", "a credit note's amounts add up");
    }
  }

  /** What this note adds to the tenant's credit balance: its total if credited back, else zero. */
  public Money creditedBack() {
    return method == CreditNoteMethod.CREDIT_BACK ? total : Money.zero(currency);
  }

  /** What this note pays back in money: its total if a refund, else zero. */
  public Money refunded() {
    return method == CreditNoteMethod.REFUND ? total : Money.zero(currency);
  }

  private static void same(String field, Currency currency, Money m) {
    Objects.requireNonNull(m, field);
    if (!m.currency().equals(currency)) {
      throw new CurrencyMismatchException(field, currency, m.currency());
    }
  }
}
