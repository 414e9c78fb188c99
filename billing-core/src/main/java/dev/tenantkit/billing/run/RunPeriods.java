package dev.tenantkit.billing.run;

import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Optional;

/**
 * Which billing period of a subscription a run bills, and the idempotency key of its invoice. Pure
 * functions.
 *
 * <p>The run of month {@code M} has the cut-off {@code M+1}'s first day, read in each
 * subscription's own zone. It bills the subscription's latest period that ended on or before the
 * cut-off: for a calendar-aligned monthly subscription, the month {@code M} itself; for one aligned
 * to its own day or a bill-cycle day, the period that ended during {@code M} (a period that
 * straddles the cut-off is the next month's run's); for a yearly one, the year that ended during
 * {@code M}, if one did (else nothing). A period that has not ended at the run's instant, or that
 * starts on or after the subscription's end, is not billed.
 */
final class RunPeriods {
  private RunPeriods() {}

  /** The period the run of {@code month} bills for {@code s} at {@code now}, if any. */
  static Optional<BillingPeriod> toBill(Subscription s, YearMonth month, Instant now) {
    LocalDate cutoff = month.plusMonths(1).atDay(1);
    LocalDate first = month.atDay(1);
    if (!s.startDay().isBefore(cutoff)) {
      return Optional.empty();
    }
    BillingPeriod p = s.periods().containing(cutoff.minusDays(1));
    if (p.end().isAfter(cutoff)) {
      Optional<BillingPeriod> before = previous(s, p);
      if (before.isEmpty()) {
        return Optional.empty();
      }
      p = before.get();
    }
    boolean endedInMonth = p.end().isAfter(first) && !p.end().isAfter(cutoff);
    boolean ended = !p.endInstant().isAfter(now);
    boolean live = s.endsAt() == null || s.endsAt().isAfter(p.startInstant());
    return endedInMonth && ended && live ? Optional.of(p) : Optional.empty();
  }

  /** The period before {@code p}, or empty if {@code p} is the subscription's first. */
  static Optional<BillingPeriod> previous(Subscription s, BillingPeriod p) {
    if (!p.start().isAfter(s.startDay())) {
      return Optional.empty();
    }
    return Optional.of(s.periods().containing(p.start().minusDays(1)));
  }

  /**
   * The idempotency key of the invoice at the end of {@code p}: {@code sub:<tenant>:<period
   * start>:period}, unique per tenant in the store.
   */
  static String key(Subscription s, LocalDate periodStart) {
    return "sub:" + s.tenant().value() + ":" + periodStart + ":period";
  }
}
