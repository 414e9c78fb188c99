package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's subscription to one version of a plan: the pure model and its rules, no store. Each
 * change ({@link #pause}, {@link #resume}, {@link #cancel}, {@link #changedTo}, {@link #schedule})
 * returns a new value. Immutable and thread-safe; build with {@link #builder}.
 *
 * @param tenant the tenant
 * @param planId the plan
 * @param planVersion the plan version billed; kept when the plan's prices change
 * @param currency the currency billed, equal to the plan version's
 * @param interval the plan version's billing interval
 * @param start when the subscription starts
 * @param zone the tenant's zone, in which billing periods are local dates
 * @param alignment which days billing periods start on
 * @param trialEnd when the trial ends (the start of the day {@code trialDays} after the start day);
 *     equal to {@code start} without a trial
 * @param planSince when the current plan version took effect: the start, or the last change
 * @param pausedAt when the subscription was paused, or {@code null}
 * @param endsAt when the subscription ends (cancelled), or {@code null}
 * @param pending a plan change waiting for the end of the period, or {@code null}
 * @param history the plan versions it was on before the current one, oldest first (empty, never
 *     {@code null}, when it never changed plan); kept so that a period with a change is billed on
 *     each version for its part
 */
public record Subscription(
    TenantId tenant,
    String planId,
    int planVersion,
    Currency currency,
    BillingInterval interval,
    Instant start,
    ZoneId zone,
    BillingAlignment alignment,
    Instant trialEnd,
    Instant planSince,
    Instant pausedAt,
    Instant endsAt,
    PendingChange pending,
    List<PriorPlan> history) {

  /** The trial unless configured: 14 days, as in the original design. */
  public static final int DEFAULT_TRIAL_DAYS = 14;

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a required component is missing or the instants are out of
   *     order
   */
  public Subscription {
    if (tenant == null
        || planId == null
        || currency == null
        || interval == null
        || start == null
        || zone == null
        || alignment == null
        || trialEnd == null
        || planSince == null) {
      throw new InvalidInputException("subscription", "a required component is missing");
    }
    if (planVersion < 1) {
      throw new InvalidInputException("planVersion", "a plan version is 1 or more");
    }
    if (trialEnd.isBefore(start) || planSince.isBefore(start)) {
      throw new InvalidInputException("trialEnd", "the trial and the plan start with or after it");
    }
    if (endsAt != null && endsAt.isBefore(start)) {
      throw new InvalidInputException("endsAt", "a subscription ends after it starts");
    }
    // A document stored before the history existed reads back without one.
    history = history == null ? List.of() : List.copyOf(history);
    Instant previous = null;
    for (PriorPlan p : history) {
      if (p.since().isAfter(planSince) || (previous != null && p.since().isBefore(previous))) {
        throw new InvalidInputException(
            "history", "earlier plans are in order and took effect before the current one");
      }
      previous = p.since();
    }
  }

  /**
   * A builder of a subscription of {@code tenant} to {@code version} from {@code start}: zone UTC,
   * calendar alignment, a trial of {@link #DEFAULT_TRIAL_DAYS} days, the version's currency.
   */
  public static Builder builder(TenantId tenant, PlanVersion version, Instant start) {
    return new Builder(tenant, version, start);
  }

  /** The billing periods of this subscription. */
  public BillingPeriods periods() {
    return BillingPeriods.of(alignment, interval, zone, startDay());
  }

  /** The local day the subscription starts on. */
  public LocalDate startDay() {
    return LocalDate.ofInstant(start, zone);
  }

  /** The first local day after the trial (the start day without a trial). */
  public LocalDate trialEndDay() {
    return LocalDate.ofInstant(trialEnd, zone);
  }

  /** Where the subscription stands at this instant. */
  public SubscriptionStatus status(Instant at) {
    if (at.isBefore(start)) {
      return SubscriptionStatus.FUTURE;
    }
    if (endsAt != null && !at.isBefore(endsAt)) {
      return SubscriptionStatus.CANCELED;
    }
    if (pausedAt != null && !at.isBefore(pausedAt)) {
      return SubscriptionStatus.PAUSED;
    }
    return at.isBefore(trialEnd) ? SubscriptionStatus.TRIAL : SubscriptionStatus.ACTIVE;
  }

  /**
   * The days of {@code period} billed for a prorated flat fee of the current plan: from the latest
   * of the period's start, the day the current plan took effect and the first day after the trial,
   * to the earliest of the period's end and the day the subscription ends (that day not included:
   * the cancel day, like a change day, is not the old plan's). Zero when none is billed.
   */
  public long billedDays(BillingPeriod period) {
    LocalDate from = period.start();
    for (LocalDate d : List.of(LocalDate.ofInstant(planSince, zone), trialEndDay())) {
      from = d.isAfter(from) ? d : from;
    }
    LocalDate to = period.end();
    if (endsAt != null) {
      LocalDate end = LocalDate.ofInstant(endsAt, zone);
      to = end.isBefore(to) ? end : to;
    }
    return Math.max(0, ChronoUnit.DAYS.between(from, to));
  }

  /**
   * {@link #billedDays} over the period's full cycle, 12 decimals half-up: what a prorated flat fee
   * in advance is multiplied by for this period (1 for a whole period).
   */
  public BigDecimal billedFraction(BillingPeriod period) {
    return BillingPeriod.ratio(billedDays(period), period.cycleDays());
  }

  /** Whether this subscription is on this plan version. */
  public boolean isOn(PlanVersion version) {
    return planId.equals(version.planId()) && planVersion == version.version();
  }

  /**
   * Paused from {@code at}: nothing new is billed until {@link #resume}.
   *
   * @throws InvalidInputException if it is already paused or cancelled at {@code at}, or not
   *     started
   */
  public Subscription pause(Instant at) {
    SubscriptionStatus s = status(at);
    if (s != SubscriptionStatus.ACTIVE && s != SubscriptionStatus.TRIAL) {
      throw new InvalidInputException(
          "status", "only an active subscription is paused; it is " + s);
    }
    return copy(planId, planVersion, trialEnd, planSince, at, endsAt, pending, history);
  }

  /**
   * Resumed at {@code at}.
   *
   * @throws InvalidInputException if it is not paused at {@code at}
   */
  public Subscription resume(Instant at) {
    if (status(at) != SubscriptionStatus.PAUSED) {
      throw new InvalidInputException("status", "only a paused subscription is resumed");
    }
    return copy(planId, planVersion, trialEnd, planSince, null, endsAt, pending, history);
  }

  /**
   * Cancelled at the end of the period containing {@code at}, or at {@code at}. A pending change is
   * dropped.
   *
   * @throws InvalidInputException if it is already cancelled at {@code at}
   */
  public Subscription cancel(CancelTiming timing, Instant at) {
    Objects.requireNonNull(timing, "timing");
    if (status(at) == SubscriptionStatus.CANCELED) {
      throw new InvalidInputException("status", "the subscription is already cancelled");
    }
    Instant end =
        timing == CancelTiming.NOW || at.isBefore(start)
            ? at.isBefore(start) ? start : at
            : periods().containing(at).endInstant();
    return copy(planId, planVersion, trialEnd, planSince, pausedAt, end, null, history);
  }

  /**
   * On {@code version} from {@code at}: what an applied plan change leaves. A trial still running
   * ends at {@code at} (as in Lago, the remaining trial days are lost on a change).
   *
   * @throws InvalidInputException if the currencies or intervals differ, or {@code at} is before
   *     the current plan took effect
   */
  public Subscription changedTo(PlanVersion version, Instant at) {
    requireCompatible(version);
    if (at.isBefore(planSince)) {
      throw new InvalidInputException("at", "a change cannot take effect before " + planSince);
    }
    Instant trial = trialEnd.isAfter(at) ? at : trialEnd;
    List<PriorPlan> earlier = new ArrayList<>(history);
    earlier.add(new PriorPlan(planSince, planId, planVersion));
    return copy(version.planId(), version.version(), trial, at, pausedAt, endsAt, null, earlier);
  }

  /**
   * This subscription as it stands at {@code at}: a {@link #pending} change whose time has come is
   * applied as {@link #changedTo} applies one, taking effect at the pending instant (not at {@code
   * at}), the version it replaces moved into {@link #history}. A change still in the future, or no
   * change, leaves it as it is. The stored subscription keeps the pending change until something
   * stores the result; reading it through this method is what makes a downgrade that "waits for the
   * period end" take effect then, without a job. Pure: the same {@code at} gives the same value.
   *
   * @throws NullPointerException if {@code at} is null
   */
  public Subscription asOf(Instant at) {
    Objects.requireNonNull(at, "at");
    if (pending == null || pending.at().isAfter(at)) {
      return this;
    }
    // The pending instant is a period boundary after the plan took effect; a value read back from
    // an older store with an earlier one still takes effect no earlier than the current plan.
    Instant since = pending.at().isBefore(planSince) ? planSince : pending.at();
    Instant trial = trialEnd.isAfter(since) ? since : trialEnd;
    List<PriorPlan> earlier = new ArrayList<>(history);
    earlier.add(new PriorPlan(planSince, planId, planVersion));
    return copy(
        pending.planId(), pending.planVersion(), trial, since, pausedAt, endsAt, null, earlier);
  }

  /**
   * With a change to {@code version} waiting until {@code at}.
   *
   * @throws InvalidInputException if the currencies or intervals differ
   */
  public Subscription schedule(PlanVersion version, Instant at) {
    requireCompatible(version);
    PendingChange change = new PendingChange(version.planId(), version.version(), at);
    return copy(planId, planVersion, trialEnd, planSince, pausedAt, endsAt, change, history);
  }

  /**
   * This subscription with the components a change may alter replaced; the tenant, currency,
   * interval, start, zone and alignment never change.
   */
  private Subscription copy(
      String plan,
      int version,
      Instant trial,
      Instant since,
      Instant paused,
      Instant ends,
      PendingChange change,
      List<PriorPlan> earlier) {
    return new Subscription(
        tenant, plan, version, currency, interval, start, zone, alignment, trial, since, paused,
        ends, change, earlier);
  }

  void requireCompatible(PlanVersion version) {
    if (!version.currency().equals(currency)) {
      throw new InvalidInputException(
          "currency",
          "plan "
              + version
              + " is in "
              + version.currency().getCurrencyCode()
              + " but the subscription is in "
              + currency.getCurrencyCode());
    }
    if (version.interval() != interval) {
      throw new InvalidInputException(
          "interval",
          "plan "
              + version
              + " bills every "
              + version.interval()
              + " but the subscription every "
              + interval
              + "; changing the interval is not supported");
    }
  }

  /** Validating builder of {@link Subscription}. Not thread-safe. */
  public static final class Builder {
    private final TenantId tenant;
    private final PlanVersion version;
    private final Instant start;
    private ZoneId zone = ZoneOffset.UTC;
    private BillingAlignment alignment = BillingAlignment.calendar();
    private int trialDays = DEFAULT_TRIAL_DAYS;
    private Currency currency;

    private Builder(TenantId tenant, PlanVersion version, Instant start) {
      this.tenant = Objects.requireNonNull(tenant, "tenant");
      this.version = Objects.requireNonNull(version, "version");
      this.start = Objects.requireNonNull(start, "start");
    }

    /** The tenant's zone; default UTC. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone").normalized();
      return this;
    }

    /** The alignment; default {@link BillingAlignment#calendar()}. */
    public Builder alignment(BillingAlignment alignment) {
      this.alignment = Objects.requireNonNull(alignment, "alignment");
      return this;
    }

    /**
     * The trial in days, counted from the start day; 0 for none; default 14.
     *
     * @throws InvalidInputException if negative or above 366
     */
    public Builder trialDays(int days) {
      if (days < 0 || days > 366) {
        throw new InvalidInputException("trialDays", "a trial is 0 to 366 days");
      }
      this.trialDays = days;
      return this;
    }

    /** The currency billed; must be the plan version's. Default: the plan version's. */
    public Builder currency(Currency currency) {
      this.currency = Objects.requireNonNull(currency, "currency");
      return this;
    }

    /**
     * Builds the subscription.
     *
     * @throws InvalidInputException if the currency is not the plan version's
     */
    public Subscription build() {
      Currency c = currency == null ? version.currency() : currency;
      if (!c.equals(version.currency())) {
        throw new InvalidInputException(
            "currency",
            "plan "
                + version
                + " is in "
                + version.currency().getCurrencyCode()
                + ", not "
                + c.getCurrencyCode());
      }
      Instant trialEnd =
          trialDays == 0
              ? start
              : LocalDate.ofInstant(start, zone).plusDays(trialDays).atStartOfDay(zone).toInstant();
      return new Subscription(
          tenant,
          version.planId(),
          version.version(),
          c,
          version.interval(),
          start,
          zone,
          alignment,
          trialEnd,
          start,
          null,
          null,
          null,
          List.of());
    }
  }
}
