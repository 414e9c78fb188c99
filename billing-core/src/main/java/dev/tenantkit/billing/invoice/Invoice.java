package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * One tenant's invoice for one period. Immutable and thread-safe: a lifecycle step returns a new
 * invoice. Built as a {@link InvoiceStatus#DRAFT} by {@link InvoiceCalculator}; {@link #finalizeAs}
 * numbers it, after which only its status changes.
 *
 * <p>The amounts, all rounded to the currency's minor unit, follow the composition order (see
 * docs/billing.md, "Composition order"):
 *
 * <pre>
 * subtotal      = sum of the lines' rounded amounts
 * discountTotal = sum of the applied coupons (never more than subtotal)
 * taxTotal      = sum of the tax lines (one per rate, each rounded once)
 * total         = subtotal - discountTotal + taxTotal
 * amountDue     = total - creditNotesApplied - prepaidCreditsApplied   (never negative)
 * </pre>
 *
 * The constructor checks these equations, so an invoice read back from a store is consistent too.
 *
 * @param id the invoice's id, unique across tenants (given by the caller)
 * @param tenant the tenant billed
 * @param number the number, {@code null} while a draft and set from finalization on
 * @param currency the currency of every amount
 * @param period the service period billed
 * @param status the status
 * @param issueDate the date of issue (for a draft: the date it would be issued)
 * @param dueDate the date payment is due; on or after {@code issueDate}
 * @param lines the lines, in the order they were priced
 * @param discounts the coupons applied, in the order they were applied
 * @param taxLines the tax per rate
 * @param creditNotesApplied the tenant's credit-note balance used on this invoice
 * @param prepaidCreditsApplied the tenant's prepaid wallet used on this invoice
 * @param subtotal the sum of the lines
 * @param discountTotal the sum of the discounts
 * @param taxTotal the sum of the tax lines
 * @param total what the invoice is worth, tax included
 * @param amountDue what remains to pay after credits
 */
public record Invoice(
    String id,
    TenantId tenant,
    InvoiceNumber number,
    Currency currency,
    InvoicePeriod period,
    InvoiceStatus status,
    LocalDate issueDate,
    LocalDate dueDate,
    List<InvoiceLine> lines,
    List<AppliedDiscount> discounts,
    List<TaxLine> taxLines,
    Money creditNotesApplied,
    Money prepaidCreditsApplied,
    Money subtotal,
    Money discountTotal,
    Money taxTotal,
    Money total,
    Money amountDue) {

  /** Payment terms when none are given: due 30 days after issue (the original design). */
  public static final int DEFAULT_PAYMENT_TERM_DAYS = 30;

  /**
   * Checks the components and the equations of the amounts.
   *
   * @throws InvalidInputException if a component is missing, an amount is in another currency or
   *     not rounded, or the amounts do not add up
   * @throws InvoiceStateException if a draft has a number or an issued invoice has none
   */
  public Invoice {
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new InvalidInputException("id", "an invoice id is 1 to 64 characters");
    }
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(issueDate, "issueDate");
    Objects.requireNonNull(dueDate, "dueDate");
    if (dueDate.isBefore(issueDate)) {
      throw new InvalidInputException("due_date", "an invoice is not due before it is issued");
    }
    if ((number == null) == status.isIssued()) {
      throw new InvoiceStateException(
          status.isIssued()
              ? "an issued invoice has a number"
              : "a draft invoice has no number yet");
    }
    lines = List.copyOf(lines);
    discounts = List.copyOf(discounts);
    taxLines = List.copyOf(taxLines);
    for (InvoiceLine l : lines) {
      check("lines", currency, l.amount());
    }
    for (AppliedDiscount d : discounts) {
      check("discounts", currency, d.amount());
    }
    for (TaxLine t : taxLines) {
      check("tax_lines", currency, t.amount());
    }
    check("credit_notes_applied", currency, creditNotesApplied);
    check("prepaid_credits_applied", currency, prepaidCreditsApplied);
    check("subtotal", currency, subtotal);
    check("discount_total", currency, discountTotal);
    check("tax_total", currency, taxTotal);
    check("total", currency, total);
    check("amount_due", currency, amountDue);
    Money zero = Money.zero(currency);
    equal("subtotal", subtotal, lines.stream().map(InvoiceLine::amount).reduce(zero, Money::plus));
    equal(
        "discount_total",
        discountTotal,
        discounts.stream().map(AppliedDiscount::amount).reduce(zero, Money::plus));
    equal("tax_total", taxTotal, taxLines.stream().map(TaxLine::amount).reduce(zero, Money::plus));
    equal("total", total, subtotal.minus(discountTotal).plus(taxTotal));
    equal("amount_due", amountDue, total.minus(creditNotesApplied).minus(prepaidCreditsApplied));
    if (discountTotal.isNegative()
        || creditNotesApplied.isNegative()
        || prepaidCreditsApplied.isNegative()
        || amountDue.isNegative()) {
      throw new InvalidInputException(
          "amount_due", "discounts and credits are not negative and leave nothing negative due");
    }
  }

  /** Whether the invoice is a draft. */
  public boolean isDraft() {
    return status == InvoiceStatus.DRAFT;
  }

  /**
   * Whether the invoice is overdue on {@code today}: still open (finalized or sent), something is
   * due, and {@code today} is after the due date. Derived, never stored, so it needs no job to keep
   * it true.
   */
  public boolean isOverdue(LocalDate today) {
    return status.isOpen() && !amountDue.isZero() && today.isAfter(dueDate);
  }

  /** The payment term in days: from the issue date to the due date. */
  public long paymentTermDays() {
    return ChronoUnit.DAYS.between(issueDate, dueDate);
  }

  /**
   * This draft finalized: numbered, issued on {@code issueDate}, due after the same payment term as
   * the draft. From now on its amounts never change.
   *
   * @param number the number allocated by the store (gap-free per issuer)
   * @param issued the date of issue
   * @throws InvoiceStateException if the invoice is not a draft
   */
  public Invoice finalizeAs(InvoiceNumber number, LocalDate issued) {
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(issued, "issued");
    InvoiceStatus next = status.transitionTo(InvoiceStatus.FINALIZED);
    return new Invoice(
        id,
        tenant,
        number,
        currency,
        period,
        next,
        issued,
        issued.plusDays(paymentTermDays()),
        lines,
        discounts,
        taxLines,
        creditNotesApplied,
        prepaidCreditsApplied,
        subtotal,
        discountTotal,
        taxTotal,
        total,
        amountDue);
  }

  /**
   * This invoice in another status: sent, paid, void or uncollectible.
   *
   * @throws InvoiceStateException if the transition is not allowed (see {@link InvoiceStatus}), or
   *     {@code target} is {@link InvoiceStatus#FINALIZED} (use {@link #finalizeAs})
   */
  public Invoice moveTo(InvoiceStatus target) {
    if (target == InvoiceStatus.FINALIZED) {
      throw new InvoiceStateException("an invoice is finalized with its number: use finalizeAs");
    }
    InvoiceStatus next = status.transitionTo(target);
    return new Invoice(
        id,
        tenant,
        number,
        currency,
        period,
        next,
        issueDate,
        dueDate,
        lines,
        discounts,
        taxLines,
        creditNotesApplied,
        prepaidCreditsApplied,
        subtotal,
        discountTotal,
        taxTotal,
        total,
        amountDue);
  }

  private static void check(String field, Currency currency, Money m) {
    Objects.requireNonNull(m, field);
    if (!m.currency().equals(currency)) {
      throw new CurrencyMismatchException(field, currency, m.currency());
    }
    if (!m.isRounded()) {
      throw new InvalidInputException(field, "an invoice amount is rounded to the currency");
    }
  }

  private static void equal(String field, Money stated, Money computed) {
    if (!stated.equals(computed)) {
      throw new InvalidInputException(
          field, field + " is " + stated + " but its parts add up to " + computed);
    }
  }
}
