package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.spi.BillingStore;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credit notes a billing run issues by itself, credited back to the tenant's balance (which the
 * next invoice applies): the unused days of a fee paid in advance when the plan changed in the
 * period, and a usage fee that went down after its invoice was finalized. Each note has an id the
 * run derives from what it credits, so a re-run, a resumption or a draft's refresh issues it once.
 * Thread-safe.
 */
final class RunCreditNotes {
  /** The id prefix of the notes for late usage that lowered a finalized invoice's fee. */
  static final String CORRECTION = "run-correction-";

  private static final Logger LOG = LoggerFactory.getLogger(RunCreditNotes.class);

  private final BillingStore store;

  RunCreditNotes(BillingStore store) {
    this.store = store;
  }

  /** A note {@link #prepare} decided, and how many notes its invoice had then. */
  record Prepared(CreditNote note, int priorNotes) {}

  /**
   * Stores a note {@link #prepare} gave, credited back to the tenant's balance, if its invoice has
   * had no other note since ({@link BillingStore#insertCreditNote}).
   */
  void insert(Prepared prepared) {
    CreditNote note = prepared.note();
    store.insertCreditNote(note, prepared.priorNotes());
    LOG.info(
        "tenant {}: credit note {} of {} on invoice {}",
        note.tenant(),
        note.id(),
        note.total(),
        note.invoiceId());
  }

  /**
   * Note {@code id} against {@code invoice} for {@code amounts} (per charge code, before tax),
   * unless it exists; each amount is taken from the lines of its code, the last first, up to what
   * is left creditable on them. Not stored: {@link #insert} stores it, a preview only applies it.
   *
   * @return the note; empty if it exists, nothing is left to credit, or the invoice is not issued
   *     (a draft is computed again instead; the next refresh retries)
   */
  Optional<Prepared> prepare(
      Invoice invoice,
      String id,
      LocalDate issueDate,
      CreditNoteReason reason,
      String description,
      Map<String, Money> amounts) {
    if (!invoice.status().isIssued() || invoice.status() == InvoiceStatus.VOID) {
      LOG.info(
          "tenant {}: credit {} waits for invoice {} to be issued",
          invoice.tenant(),
          id,
          invoice.id());
      return Optional.empty();
    }
    List<CreditNote> previous = store.creditNotes(invoice.tenant(), invoice.id());
    if (previous.stream().anyMatch(n -> n.id().equals(id))) {
      return Optional.empty();
    }
    List<Money> left = CreditNotes.creditableByLine(invoice, previous);
    Map<Integer, Money> byLine = new LinkedHashMap<>();
    for (Map.Entry<String, Money> e : amounts.entrySet()) {
      Money rest = e.getValue().rounded();
      for (int i = invoice.lines().size() - 1; i >= 0 && rest.amount().signum() > 0; i--) {
        InvoiceLine line = invoice.lines().get(i);
        if (line.chargeCode().equals(e.getKey()) && left.get(i).amount().signum() > 0) {
          Money take = rest.compareTo(left.get(i)) > 0 ? left.get(i) : rest;
          byLine.merge(i, take, Money::plus);
          rest = rest.minus(take);
        }
      }
      if (rest.amount().signum() > 0) {
        LOG.warn(
            "tenant {}: {} of {} cannot be credited on invoice {}: nothing left creditable",
            invoice.tenant(),
            rest,
            e.getKey(),
            invoice.id());
      }
    }
    if (byLine.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Prepared(
            CreditNotes.issue(
                invoice,
                previous,
                CreditNoteRequest.lines(
                    id, issueDate, reason, description, CreditNoteMethod.CREDIT_BACK, byLine)),
            previous.size()));
  }

  /** Per charge code, what the run's correction notes against {@code invoice} credited. */
  Map<String, Money> correctionsCredited(Invoice invoice) {
    Map<String, Money> out = new LinkedHashMap<>();
    for (CreditNote n : store.creditNotes(invoice.tenant(), invoice.id())) {
      if (n.id().startsWith(CORRECTION)) {
        n.items().forEach(item -> out.merge(item.chargeCode(), item.amount(), Money::plus));
      }
    }
    return out;
  }

  /** The id of the next correction note against {@code invoice}. */
  String nextCorrectionId(Invoice invoice) {
    long n =
        store.creditNotes(invoice.tenant(), invoice.id()).stream()
            .filter(c -> c.id().startsWith(CORRECTION))
            .count();
    return CORRECTION + invoice.period().start() + "-" + (n + 1);
  }
}
