package dev.tenantkit.billing.invoice;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where an invoice is in its life. Only a {@link #DRAFT} changes; from {@link #FINALIZED} on the
 * amounts and lines are immutable and the invoice has a number. <em>Overdue</em> is not a status:
 * it is derived from the due date by {@link Invoice#isOverdue(java.time.LocalDate)}.
 *
 * <p>Transitions (after Stripe's invoice lifecycle: draft, open, then paid, void or uncollectible;
 * an uncollectible invoice may still be paid or voided):
 *
 * <pre>
 * DRAFT         -> FINALIZED
 * FINALIZED     -> SENT, PAID, VOID, UNCOLLECTIBLE
 * SENT          -> PAID, VOID, UNCOLLECTIBLE
 * UNCOLLECTIBLE -> PAID, VOID
 * PAID, VOID    -> (none)
 * </pre>
 *
 * A draft is not voided: it is discarded (or recomputed) by its store, since it was never issued.
 */
public enum InvoiceStatus {
  /** Being computed; usage may still be added until the grace period ends. No number yet. */
  DRAFT,
  /** Issued: numbered, immutable, payable. */
  FINALIZED,
  /** Finalized and delivered to the tenant. */
  SENT,
  /** Settled in full (terminal). */
  PAID,
  /** Cancelled after issue; kept for the record, its number is not reused (terminal). */
  VOID,
  /** Given up on collecting; may still be paid or voided later. */
  UNCOLLECTIBLE;

  /** Whether an invoice in this status is still expected to be paid (finalized or sent). */
  public boolean isOpen() {
    return this == FINALIZED || this == SENT;
  }

  /** Whether this status has been issued (has a number): every status but {@link #DRAFT}. */
  public boolean isIssued() {
    return this != DRAFT;
  }

  /** The statuses this one may move to; empty for a terminal status. */
  public Set<InvoiceStatus> next() {
    return switch (this) {
      case DRAFT -> EnumSet.of(FINALIZED);
      case FINALIZED -> EnumSet.of(SENT, PAID, VOID, UNCOLLECTIBLE);
      case SENT -> EnumSet.of(PAID, VOID, UNCOLLECTIBLE);
      case UNCOLLECTIBLE -> EnumSet.of(PAID, VOID);
      case PAID, VOID -> EnumSet.noneOf(InvoiceStatus.class);
    };
  }

  /**
   * The status after moving to {@code target}.
   *
   * @throws InvoiceStateException if {@code target} is not in {@link #next()}
   */
  public InvoiceStatus transitionTo(InvoiceStatus target) {
    if (target == null || !next().contains(target)) {
      throw new InvoiceStateException(
          "an invoice cannot go from "
              + wireName()
              + " to "
              + (target == null ? "nothing" : target.wireName()));
    }
    return target;
  }

  /** The status's name in JSON and URLs: {@code draft}, {@code finalized}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
