package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.tenancy.TenantId;

/**
 * Allowances and gauges: the counter of the current period (a gauge has one, period 0), taken
 * straight from the store or spent from this instance's {@link AllowanceLease}, and the decisions
 * they give. Thread-safe.
 */
final class CounterDecisions {
  private static final long NANOS_PER_MILLI = BucketDecisions.NANOS_PER_MILLI;
  private static final long UNLIMITED = LimitSpec.UNLIMITED;
  private static final long NONE = QuotaDecision.NONE;

  /** A gauge's only period: it starts at 0 and never resets. */
  private static final CalendarWindows.Window GAUGE = new CalendarWindows.Window(0, NONE);

  private final CalendarWindows periods;
  private final long leaseBlock;
  private final ThresholdPublisher thresholds;

  CounterDecisions(CalendarWindows periods, long leaseBlock, ThresholdPublisher thresholds) {
    this.periods = periods;
    this.leaseBlock = leaseBlock;
    this.thresholds = thresholds;
  }

  /**
   * The counter's period at {@code now}: for an allowance its calendar window ({@code start} keys
   * the counter, {@code end} is when it resets), for a gauge period 0 with no reset ({@link
   * QuotaDecision#NONE}). Allocates nothing until a boundary passes.
   */
  CalendarWindows.Window window(Rule rule, long now) {
    return rule.kind == LimitKind.ALLOWANCE ? periods.window(rule.period, now) : GAUGE;
  }

  /** Consumes {@code amount} of the counter if {@code consume}, else checks whether it fits. */
  QuotaDecision decide(
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long now,
      boolean consume) {
    CalendarWindows.Window w = window(rule, now);
    long period = w.start;
    long resetAt = w.end;
    boolean leased = leaseBlock > 1 && rule.kind == LimitKind.ALLOWANCE;
    if (!consume) {
      return check(slot, limit, cell, rule, amount, period, resetAt, now, leased);
    }
    TenantId tenant = slot.tenant();
    for (int attempt = 1; ; attempt++) {
      long override = cell.override();
      QuotaDecision d =
          leased
              ? leased(tenant, slot, limit, cell, rule, amount, period, resetAt, now, override)
              : unleased(tenant, cell, rule, amount, period, resetAt, now, override);
      if (d != null) {
        return d;
      }
      rule.giveUpAfter(attempt);
    }
  }

  /** An allowance or gauge decision taken in the store, or null if it saw a newer override. */
  private QuotaDecision unleased(
      TenantId tenant,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      long override) {
    long effective = rule.effective(override);
    long r = cell.tryAdd(period, amount, rule.ceiling(effective), override);
    return outcome(tenant, rule, effective, amount, r, r - amount, r, period, resetAt, now);
  }

  /**
   * An allowance decision spent from this instance's lease, or null if the store saw a newer
   * override. Apart from {@link #unleased} so that each path stays small enough for the JIT to
   * inline.
   */
  private QuotaDecision leased(
      TenantId tenant,
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      long override) {
    long effective = rule.effective(override);
    AllowanceLease.Taken t =
        slot.lease(limit.index())
            .tryAdd(cell, leaseBlock, period, amount, rule.ceiling(effective), override);
    // Thresholds are reached when the block that reaches them is leased, up to a block early.
    return outcome(
        tenant,
        rule,
        effective,
        amount,
        t.result(),
        t.leasedFrom(),
        t.leasedTo(),
        period,
        resetAt,
        now);
  }

  /**
   * The decision for a counter's conditional add that returned {@code r}, or null if the store saw
   * a newer override; a threshold between {@code before} and {@code after} (the counter before and
   * after the add, {@code before < 0} for none) is published.
   */
  QuotaDecision outcome(
      TenantId tenant,
      Rule rule,
      long effective,
      long amount,
      long r,
      long before,
      long after,
      long period,
      long resetAt,
      long now) {
    if (CellResult.isOverrideChanged(r)) {
      return null;
    }
    if (CellResult.isRejected(r)) {
      return denial(rule, effective, amount, CellResult.state(r), resetAt, now);
    }
    if (effective != UNLIMITED && before >= 0 && after > before) {
      thresholds.crossed(tenant, rule, effective, before, after, period, now);
    }
    return allowed(rule, effective, r, resetAt);
  }

  /** The decision of a counter without consuming: a cold path, kept apart for the JIT's sake. */
  private QuotaDecision check(
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      boolean leased) {
    // counter() first: a cell that caches the override refreshes it there.
    long used = cell.counter(period);
    long effective = rule.effective(cell.override());
    if (leased) {
      used -= unspent(slot, limit, period);
    }
    return check(rule, effective, amount, used, resetAt, now);
  }

  /** Whether {@code amount} fits a counter at {@code used} under {@code effective}. */
  static QuotaDecision check(
      Rule rule, long effective, long amount, long used, long resetAt, long now) {
    boolean unlimited = effective == UNLIMITED;
    boolean fits = amount <= effective - used;
    if (rule.hard && !unlimited && !fits) {
      return denial(rule, effective, amount, used, resetAt, now);
    }
    return Decisions.of(
        true,
        fits ? Reason.WITHIN_LIMIT : Reason.SOFT_LIMIT_EXCEEDED,
        rule.name,
        rule.kind,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? NONE : resetAt,
        nextUnitAt(rule, unlimited, resetAt),
        NONE);
  }

  /** Units of the allowance this instance leased in {@code period} and has not spent. */
  static long unspent(TenantSlot slot, Limit limit, long period) {
    AllowanceLease l = slot.leaseIfAny(limit.index());
    return l == null ? 0 : l.unspent(period);
  }

  /** An allowance gives more at its next period; a gauge only when something is released. */
  private static long nextUnitAt(Rule rule, boolean unlimited, long resetAt) {
    return unlimited || rule.kind != LimitKind.ALLOWANCE ? NONE : resetAt;
  }

  /** The decision when an add was made, leaving the counter at {@code used}. */
  static QuotaDecision allowed(Rule rule, long effective, long used, long resetAt) {
    boolean unlimited = effective == UNLIMITED;
    return Decisions.of(
        true,
        !unlimited && used > effective ? Reason.SOFT_LIMIT_EXCEEDED : Reason.WITHIN_LIMIT,
        rule.name,
        rule.kind,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? NONE : resetAt,
        nextUnitAt(rule, unlimited, resetAt),
        NONE);
  }

  /** The decision when {@code amount} did not fit a counter at {@code used}. */
  static QuotaDecision denial(
      Rule rule, long effective, long amount, long used, long resetAt, long now) {
    // Waiting helps an allowance only if the amount fits a fresh period; a gauge needs a release.
    long retryAfter =
        rule.kind == LimitKind.ALLOWANCE && amount <= effective
            ? (resetAt - now) * NANOS_PER_MILLI
            : NONE;
    return Decisions.of(
        false,
        Reason.LIMIT_EXCEEDED,
        rule.name,
        rule.kind,
        effective,
        Math.max(0, effective - used),
        resetAt,
        nextUnitAt(rule, false, resetAt),
        retryAfter);
  }
}
