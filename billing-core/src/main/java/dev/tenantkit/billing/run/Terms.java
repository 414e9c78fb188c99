package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one billing period each plan version was in effect, with the day rule of {@link
 * dev.tenantkit.billing.subscription.Proration}: a change day belongs to the new version, the days
 * before it to the old one, and the day a subscription ends is not billed as a day. Pure.
 */
final class Terms {
  private Terms() {}

  /**
   * One version's part of a period.
   *
   * @param version the plan version
   * @param from the first day of its part
   * @param to the day after its last day (the end day of a cancelled subscription is excluded)
   * @param days {@code to - from}: the days its usage charges' minimums are prorated by
   * @param feeDays the days of flat fees: {@code days} less the trial days
   * @param cycleDays the days of the full cycle
   * @param usageFrom the first instant of its usage
   * @param usageTo the first instant after its usage (capped by the end, a pause and {@code until})
   */
  record Term(
      PlanVersion version,
      LocalDate from,
      LocalDate to,
      long days,
      long feeDays,
      long cycleDays,
      Instant usageFrom,
      Instant usageTo) {

    /** Whether the term has usage to read. */
    boolean hasUsage() {
      return usageTo.isAfter(usageFrom);
    }

    /** {@code days / cycleDays}, 12 decimals half-up, as a proration ratio. */
    BigDecimal fraction() {
      return ratio(days, cycleDays);
    }

    /** {@code feeDays / cycleDays}, 12 decimals half-up. */
    BigDecimal feeFraction() {
      return ratio(feeDays, cycleDays);
    }
  }

  /**
   * The terms of {@code period}: each earlier version then the current one, those that overlap the
   * period only, in order.
   *
   * @param until usage is read up to this instant (the period's end for an invoice, now for a
   *     preview)
   */
  static List<Term> of(
      Subscription s,
      PlanVersion current,
      List<PlanTerm> prior,
      BillingPeriod period,
      Instant until) {
    List<PlanTerm> all = new ArrayList<>();
    for (PlanTerm t : prior) {
      if (t.since().isBefore(s.planSince())) {
        all.add(t);
      }
    }
    all.add(new PlanTerm(current, s.planSince()));
    Instant usageEnd = earliest(period.endInstant(), s.endsAt(), s.pausedAt(), until);
    LocalDate trialEnd = s.trialEndDay();
    List<Term> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      LocalDate sinceDay = day(s, all.get(i).since());
      LocalDate from = sinceDay.isAfter(period.start()) ? sinceDay : period.start();
      LocalDate to = period.end();
      if (i + 1 < all.size()) {
        LocalDate next = day(s, all.get(i + 1).since());
        to = next.isBefore(to) ? next : to;
      }
      if (s.endsAt() != null) {
        LocalDate end = day(s, s.endsAt());
        to = end.isBefore(to) ? end : to;
      }
      if (!from.isBefore(period.end())) {
        continue;
      }
      Instant usageFrom = from.atStartOfDay(s.zone()).toInstant();
      Instant usageTo = usageEnd;
      if (i + 1 < all.size()) {
        usageTo =
            earliest(usageTo, day(s, all.get(i + 1).since()).atStartOfDay(s.zone()).toInstant());
      }
      if (!to.isAfter(from) && !usageTo.isAfter(usageFrom)) {
        continue;
      }
      long days = Math.max(0, ChronoUnit.DAYS.between(from, to));
      LocalDate feeFrom = trialEnd.isAfter(from) ? trialEnd : from;
      long feeDays = Math.max(0, ChronoUnit.DAYS.between(feeFrom, to));
      out.add(
          new Term(
              all.get(i).version(),
              from,
              to.isAfter(from) ? to : from,
              days,
              feeDays,
              period.cycleDays(),
              usageFrom,
              usageTo));
    }
    return out;
  }

  /** {@code days / of} to 12 decimals half-up: BillingPeriod's proration ratio. */
  static BigDecimal ratio(long days, long of) {
    return Money.precise(
        BigDecimal.valueOf(days)
            .divide(BigDecimal.valueOf(of), Money.PRECISE_SCALE, RoundingMode.HALF_UP));
  }

  private static LocalDate day(Subscription s, Instant at) {
    return LocalDate.ofInstant(at, s.zone());
  }

  private static Instant earliest(Instant first, Instant... others) {
    Instant min = first;
    for (Instant i : others) {
      if (i != null && i.isBefore(min)) {
        min = i;
      }
    }
    return min;
  }
}
