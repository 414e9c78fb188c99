package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Plan changes and cancellations with their proration by days. Pure functions: no I/O, no clock;
 * stateless and thread-safe.
 *
 * <p>The rules (sources in {@code docs/billing.md}):
 *
 * <ul>
 *   <li>An upgrade (the new plan's flat fee per month is at least the old one's, as Lago decides)
 *       applies at once; a downgrade waits for the end of the period unless asked {@code now}.
 *   <li>Day count: the change day is billed to the new plan. The old plan keeps the days before it;
 *       {@code remaining = days from the change day (included) to the period end}.
 *   <li>{@code ratio = days / days in the full cycle}, to 12 decimals half-up, before any rounding
 *       to money. A fee is {@code fee x ratio}, rounded half-up to the minor unit per line.
 *   <li>The credit for a prorated flat fee paid in advance is what was paid for the period less the
 *       used days' part, each rounded, so that the used part and the credit add up to what was paid
 *       to the cent. Nothing was paid for trial days, so they are never credited.
 *   <li>Only prorated flat fees billed in advance take part. Fees in arrears and usage charges are
 *       billed at the period end for the days (and usage) of each plan, with the same day count; a
 *       flat fee that is not prorated is neither credited nor charged here.
 * </ul>
 */
public final class Proration {
  private Proration() {}

  /**
   * Changes {@code subscription} from its plan version {@code from} to {@code to} at {@code at}.
   *
   * @param subscription the subscription, on {@code from}
   * @param from the subscription's current plan version
   * @param to the plan version to change to, in the same currency and interval
   * @param at when the change is asked for
   * @param now whether a downgrade applies at once instead of at the period end (an upgrade always
   *     does)
   * @return the change with its proration lines and the subscription after it
   * @throws InvalidInputException if the subscription is not on {@code from} or is already on
   *     {@code to}, is not active or in its trial at {@code at}, or {@code to} has another currency
   *     or interval
   */
  public static PlanChange change(
      Subscription subscription, PlanVersion from, PlanVersion to, Instant at, boolean now) {
    if (!subscription.isOn(from)) {
      throw new InvalidInputException(
          "from",
          "the subscription is on "
              + subscription.planId()
              + " v"
              + subscription.planVersion()
              + ", not "
              + from);
    }
    if (subscription.isOn(to)) {
      throw new InvalidInputException("to", "the subscription is already on " + to);
    }
    subscription.requireCompatible(to);
    SubscriptionStatus status = subscription.status(at);
    if (status != SubscriptionStatus.ACTIVE && status != SubscriptionStatus.TRIAL) {
      throw new InvalidInputException("status", "a " + status + " subscription cannot change plan");
    }
    BillingPeriod period = subscription.periods().containing(at);
    boolean upgrade = to.prices().monthlyFee().compareTo(from.prices().monthlyFee()) >= 0;
    PlanChange.Kind kind = upgrade ? PlanChange.Kind.UPGRADE : PlanChange.Kind.DOWNGRADE;
    Money zero = Money.zero(subscription.currency()).rounded();
    if (!upgrade && !now) {
      Instant end = period.endInstant();
      return new PlanChange(
          kind,
          from,
          to,
          at,
          end,
          period,
          0,
          BigDecimal.ZERO,
          List.of(),
          List.of(),
          zero,
          zero,
          zero,
          subscription.schedule(to, end));
    }
    LocalDate day = LocalDate.ofInstant(at, subscription.zone());
    long cycle = period.cycleDays();
    long remaining = ChronoUnit.DAYS.between(day, period.end());
    LocalDate paidFrom =
        latest(
            period.start(),
            LocalDate.ofInstant(subscription.planSince(), subscription.zone()),
            subscription.trialEndDay());
    List<ProrationLine> credits = new ArrayList<>();
    for (PlanCharge c : from.charges()) {
      if (prorated(c.charge())) {
        credit(from, c.charge(), paidFrom, day, period).ifPresent(credits::add);
      }
    }
    List<ProrationLine> charges = new ArrayList<>();
    BigDecimal ratio = BillingPeriod.ratio(remaining, cycle);
    for (PlanCharge c : to.charges()) {
      if (prorated(c.charge())) {
        Money precise = fee(to, c.charge(), ratio);
        if (!precise.isZero()) {
          charges.add(
              new ProrationLine(
                  ProrationLine.Kind.CHARGE,
                  to.planId(),
                  to.version(),
                  c.code(),
                  day,
                  period.end(),
                  remaining,
                  cycle,
                  ratio,
                  precise,
                  precise.rounded()));
        }
      }
    }
    Money creditTotal = sum(credits, zero);
    Money chargeTotal = sum(charges, zero);
    return new PlanChange(
        kind,
        from,
        to,
        at,
        at,
        period,
        remaining,
        ratio,
        credits,
        charges,
        creditTotal,
        chargeTotal,
        chargeTotal.minus(creditTotal),
        subscription.changedTo(to, at));
  }

  /**
   * Cancels {@code subscription} (on {@code current}) at the period end or now. Now, each prorated
   * flat fee paid in advance is credited for its unused days, the cancel day among them (the same
   * day count and rounding as a plan change).
   *
   * @throws InvalidInputException if the subscription is not on {@code current} or is already
   *     cancelled at {@code at}
   */
  public static Cancellation cancel(
      Subscription subscription, PlanVersion current, CancelTiming timing, Instant at) {
    if (!subscription.isOn(current)) {
      throw new InvalidInputException("current", "the subscription is not on " + current);
    }
    Subscription after = subscription.cancel(timing, at);
    Money zero = Money.zero(subscription.currency()).rounded();
    List<ProrationLine> credits = new ArrayList<>();
    if (timing == CancelTiming.NOW && !at.isBefore(subscription.start())) {
      BillingPeriod period = subscription.periods().containing(at);
      LocalDate day = LocalDate.ofInstant(at, subscription.zone());
      LocalDate paidFrom =
          latest(
              period.start(),
              LocalDate.ofInstant(subscription.planSince(), subscription.zone()),
              subscription.trialEndDay());
      for (PlanCharge c : current.charges()) {
        if (prorated(c.charge())) {
          credit(current, c.charge(), paidFrom, day, period).ifPresent(credits::add);
        }
      }
    }
    return new Cancellation(timing, after.endsAt(), credits, sum(credits, zero), after);
  }

  /**
   * The credit for the unused days of {@code charge} of {@code from}, paid in advance for {@code
   * period} from {@code paidFrom}, when the plan changes (or ends) on {@code day}: {@code round(fee
   * x paidDays/cycle) - round(fee x usedDays/cycle)}, the rule of {@link #change}. A billing run
   * issues it for a change it bills ({@code PeriodBiller#changeCredits}), so the run and the
   * change's preview credit the same amount to the cent.
   *
   * @return the credit line, or empty when no day is unused or nothing was paid
   */
  public static Optional<ProrationLine> unusedCredit(
      PlanVersion from, Charge charge, LocalDate paidFrom, LocalDate day, BillingPeriod period) {
    return prorated(charge) ? credit(from, charge, paidFrom, day, period) : Optional.empty();
  }

  private static Optional<ProrationLine> credit(
      PlanVersion from, Charge charge, LocalDate paidFrom, LocalDate day, BillingPeriod period) {
    long cycle = period.cycleDays();
    long paidDays = Math.max(0, ChronoUnit.DAYS.between(paidFrom, period.end()));
    long usedDays = Math.min(paidDays, Math.max(0, ChronoUnit.DAYS.between(paidFrom, day)));
    long unused = paidDays - usedDays;
    if (unused == 0) {
      return Optional.empty();
    }
    Money paid = fee(from, charge, BillingPeriod.ratio(paidDays, cycle)).rounded();
    Money used = fee(from, charge, BillingPeriod.ratio(usedDays, cycle)).rounded();
    BigDecimal ratio = BillingPeriod.ratio(unused, cycle);
    Money precise = fee(from, charge, ratio);
    if (precise.isZero() && paid.isZero()) {
      return Optional.empty();
    }
    return Optional.of(
        new ProrationLine(
            ProrationLine.Kind.CREDIT,
            from.planId(),
            from.version(),
            charge.code(),
            latest(day, paidFrom),
            period.end(),
            unused,
            cycle,
            ratio,
            precise,
            paid.minus(used)));
  }

  private static boolean prorated(Charge c) {
    return c.isFlat() && c.timing() == ChargeTiming.ADVANCE && c.prorated();
  }

  private static Money fee(PlanVersion version, Charge charge, BigDecimal ratio) {
    return Money.of(charge.price(Usage.NONE, ratio).total(), version.currency());
  }

  private static Money sum(List<ProrationLine> lines, Money zero) {
    Money total = zero;
    for (ProrationLine l : lines) {
      total = total.plus(l.amount());
    }
    return total.rounded();
  }

  private static LocalDate latest(LocalDate first, LocalDate... others) {
    LocalDate max = first;
    for (LocalDate d : others) {
      if (d.isAfter(max)) {
        max = d;
      }
    }
    return max;
  }
}
