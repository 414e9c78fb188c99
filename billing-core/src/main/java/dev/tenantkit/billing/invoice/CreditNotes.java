package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Computes credit notes against a finalized invoice. Pure functions (no I/O, no clock): the caller
 * passes the invoice and the notes already issued against it, and stores what comes back.
 * Thread-safe.
 *
 * <p>Rules (docs/billing.md, "Credit notes"):
 *
 * <ul>
 *   <li>A note credits a finalized, sent, paid or uncollectible invoice; never a draft or a void
 *       one.
 *   <li>What is creditable on a line, before tax, is its rounded amount less its share of the
 *       invoice's coupons (shared in proportion to the lines' amounts, in whole minor units that
 *       add up to the coupons exactly), less what earlier notes credited on it.
 *   <li>The note's tax is computed per rate on what it credits and rounded once per note, never
 *       more than the invoice's tax at that rate not yet credited; the note that credits all that
 *       is left at a rate credits exactly the tax left, so all notes together never differ from the
 *       invoice by a cent.
 *   <li>A refund is for a paid invoice only and, with earlier refunds, at most what was paid in
 *       money ({@link Invoice#amountDue()}): what credit notes and prepaid credits settled can only
 *       be credited back (as Lago does).
 * </ul>
 */
public final class CreditNotes {
  private CreditNotes() {}

  /**
   * What is left creditable on each line of the invoice, before tax, after the earlier notes.
   *
   * @param invoice the invoice
   * @param previous the notes already issued against it
   * @throws InvalidInputException if a note in {@code previous} is for another invoice
   */
  public static List<Money> creditableByLine(Invoice invoice, List<CreditNote> previous) {
    checkPrevious(invoice, previous);
    List<Money> left = new ArrayList<>(netByLine(invoice));
    for (CreditNote note : previous) {
      for (CreditNoteItem item : note.items()) {
        left.set(item.lineIndex(), left.get(item.lineIndex()).minus(item.amount()));
      }
    }
    return left;
  }

  /**
   * The credit note for the request.
   *
   * @param invoice the invoice credited
   * @param previous the notes already issued against it
   * @param request what to credit
   * @throws InvoiceStateException if the invoice is a draft or void, or a refund is asked for an
   *     invoice that is not paid
   * @throws InvalidInputException if a line does not exist, an amount is more than is left on its
   *     line, nothing is left to credit, or a refund exceeds what was paid in money
   * @throws CurrencyMismatchException if an amount is in another currency than the invoice
   */
  public static CreditNote issue(
      Invoice invoice, List<CreditNote> previous, CreditNoteRequest request) {
    if (!invoice.status().isIssued() || invoice.status() == InvoiceStatus.VOID) {
      throw new InvoiceStateException(
          "a credit note is against a finalized invoice, not a "
              + invoice.status().wireName()
              + " one");
    }
    if (request.method() == CreditNoteMethod.REFUND && invoice.status() != InvoiceStatus.PAID) {
      throw new InvoiceStateException(
          "only a paid invoice is refunded; credit back an invoice that is "
              + invoice.status().wireName());
    }
    Currency currency = invoice.currency();
    List<Money> left = creditableByLine(invoice, previous);
    List<CreditNoteItem> items = new ArrayList<>();
    if (request.isWhole()) {
      for (int i = 0; i < left.size(); i++) {
        if (!left.get(i).isZero()) {
          items.add(item(invoice, i, left.get(i)));
        }
      }
      if (items.isEmpty()) {
        throw new InvalidInputException("items", "nothing is left to credit on this invoice");
      }
    } else {
      for (Map.Entry<Integer, Money> e : request.lineAmounts().entrySet()) {
        int i = e.getKey();
        Money amount = e.getValue();
        if (i < 0 || i >= left.size()) {
          throw new InvalidInputException("items", "the invoice has no line " + i);
        }
        if (!amount.currency().equals(currency)) {
          throw new CurrencyMismatchException("items", currency, amount.currency());
        }
        if (!amount.isRounded()) {
          throw new InvalidInputException(
              "items", "line " + i + ": a credited amount is rounded to the currency");
        }
        if (amount.compareTo(left.get(i)) > 0) {
          throw new InvalidInputException(
              "items",
              "line "
                  + i
                  + ": "
                  + amount
                  + " is more than the "
                  + left.get(i)
                  + " left creditable on it (before tax)");
        }
        items.add(item(invoice, i, amount));
      }
    }

    List<TaxLine> taxLines = taxLines(invoice, previous, items);
    Money zero = Money.zero(currency);
    Money subtotal = items.stream().map(CreditNoteItem::amount).reduce(zero, Money::plus);
    Money tax = taxLines.stream().map(TaxLine::amount).reduce(zero, Money::plus);
    Money total = subtotal.plus(tax);
    if (request.method() == CreditNoteMethod.REFUND) {
      Money refunded = previous.stream().map(CreditNote::refunded).reduce(zero, Money::plus);
      Money refundable = invoice.amountDue().minus(refunded);
      if (total.compareTo(refundable) > 0) {
        throw new InvalidInputException(
            "method",
            "a refund is at most what was paid in money, "
                + refundable
                + " left; credit back the rest");
      }
    }
    return new CreditNote(
        request.id(),
        invoice.tenant(),
        invoice.id(),
        invoice.number(),
        currency,
        request.issueDate(),
        request.reason(),
        request.description(),
        request.method(),
        items,
        taxLines,
        subtotal,
        tax,
        total);
  }

  /**
   * The amount, before tax, that credits the unused days of a line billed in advance for a service
   * period, from {@code firstUnusedDay} (included) to the period's end (excluded): the line's
   * amount after its coupon share times {@code unused days / days in the period}, the ratio kept to
   * {@link Money#PRECISE_SCALE} decimals, rounded half-up once. Cancelling on the 11th of a 31-day
   * January leaves the 11th to the 31st unused: 21 days, not 20.
   *
   * @param invoice the invoice that billed the period in advance
   * @param lineIndex the line of the advance fee
   * @param servicePeriod the period the line paid for
   * @param firstUnusedDay the first day not used, in the tenant's time zone
   * @throws InvalidInputException if the line does not exist or the day is outside the period
   */
  public static Money unusedDays(
      Invoice invoice, int lineIndex, InvoicePeriod servicePeriod, LocalDate firstUnusedDay) {
    if (lineIndex < 0 || lineIndex >= invoice.lines().size()) {
      throw new InvalidInputException("line", "the invoice has no line " + lineIndex);
    }
    if (firstUnusedDay.isBefore(servicePeriod.start())
        || firstUnusedDay.isAfter(servicePeriod.end())) {
      throw new InvalidInputException(
          "first_unused_day", firstUnusedDay + " is outside the period " + servicePeriod);
    }
    InvoiceLine line = invoice.lines().get(lineIndex);
    Money net = netByLine(invoice).get(lineIndex);
    long unused = ChronoUnit.DAYS.between(firstUnusedDay, servicePeriod.end());
    BigDecimal ratio =
        BigDecimal.valueOf(unused)
            .divide(
                BigDecimal.valueOf(servicePeriod.days()),
                Money.PRECISE_SCALE,
                RoundingMode.HALF_UP);
    BigDecimal base =
        line.amount().isZero()
            ? BigDecimal.ZERO
            : line.preciseAmount()
                .multiply(net.amount())
                .divide(line.amount().amount(), Money.PRECISE_SCALE, RoundingMode.HALF_UP);
    return Money.of(base.multiply(ratio), invoice.currency()).rounded();
  }

  /** Each line's rounded amount less its share of the coupons. */
  static List<Money> netByLine(Invoice invoice) {
    List<Money> amounts = invoice.lines().stream().map(InvoiceLine::amount).toList();
    List<Money> shares = Shares.allocate(invoice.discountTotal(), amounts);
    List<Money> nets = new ArrayList<>();
    for (int i = 0; i < amounts.size(); i++) {
      nets.add(amounts.get(i).minus(shares.get(i)));
    }
    return nets;
  }

  private static CreditNoteItem item(Invoice invoice, int i, Money amount) {
    InvoiceLine line = invoice.lines().get(i);
    return new CreditNoteItem(i, line.chargeCode(), amount, line.taxRate());
  }

  private static List<TaxLine> taxLines(
      Invoice invoice, List<CreditNote> previous, List<CreditNoteItem> items) {
    Money zero = Money.zero(invoice.currency());
    Map<TaxRate, Money> credited = new LinkedHashMap<>();
    for (CreditNoteItem item : items) {
      credited.merge(item.taxRate(), item.amount(), Money::plus);
    }
    Map<TaxRate, Money> netLeft = new LinkedHashMap<>();
    List<Money> left = creditableByLine(invoice, previous);
    for (int i = 0; i < left.size(); i++) {
      netLeft.merge(invoice.lines().get(i).taxRate(), left.get(i), Money::plus);
    }
    Map<TaxRate, Money> taxLeft = new LinkedHashMap<>();
    for (TaxLine t : invoice.taxLines()) {
      taxLeft.merge(t.rate(), t.amount(), Money::plus);
    }
    for (CreditNote note : previous) {
      for (TaxLine t : note.taxLines()) {
        taxLeft.merge(t.rate(), t.amount().negate(), Money::plus);
      }
    }
    List<TaxLine> out = new ArrayList<>();
    for (Map.Entry<TaxRate, Money> e : credited.entrySet()) {
      TaxRate rate = e.getKey();
      Money base = e.getValue();
      Money remainingTax = taxLeft.getOrDefault(rate, zero).max(zero);
      Money tax =
          base.equals(netLeft.getOrDefault(rate, zero))
              ? remainingTax
              : Money.of(rate.taxOn(base.amount()), invoice.currency()).rounded().min(remainingTax);
      out.add(new TaxLine(rate, base.amount(), tax));
    }
    return out;
  }

  private static void checkPrevious(Invoice invoice, List<CreditNote> previous) {
    for (CreditNote note : previous) {
      if (!note.invoiceId().equals(invoice.id())) {
        throw new InvalidInputException(
            "previous", "credit note '" + note.id() + "' is for another invoice");
      }
    }
  }
}
