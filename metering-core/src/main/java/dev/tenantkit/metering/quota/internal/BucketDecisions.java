package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaStore;

/**
 * Rate limits: the GCRA arithmetic of a token bucket (see {@link QuotaStore}) and the decisions it
 * gives. Stateless; not instantiable.
 */
final class BucketDecisions {
  static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long UNLIMITED = LimitSpec.UNLIMITED;
  private static final long NONE = QuotaDecision.NONE;

  private BucketDecisions() {}

  /**
   * Takes {@code amount} tokens from the bucket in {@code cell} if {@code consume}, else checks.
   */
  static QuotaDecision decide(QuotaCell cell, Rule rule, long amount, long now, boolean consume) {
    long nowNanos = now * NANOS_PER_MILLI;
    for (int attempt = 1; ; attempt++) {
      long override = cell.override();
      if (rule.effective(override) == UNLIMITED) {
        return unlimited(rule);
      }
      Rule.Bucket b = rule.bucket(override);
      if (amount > b.maxAmount() || !consume) {
        long tat = cell.bucket();
        if (cell.override() != override) {
          rule.giveUpAfter(attempt);
          continue;
        }
        return check(rule, b, tat, amount, nowNanos);
      }
      long cost = amount * b.interval();
      long r = cell.tryTake(nowNanos, cost, b.burst(), override);
      if (CellResult.isOverrideChanged(r)) {
        rule.giveUpAfter(attempt);
        continue;
      }
      if (CellResult.isApplied(r)) {
        return allowed(rule.name, b, r, nowNanos);
      }
      return rejected(rule, b, cost, CellResult.state(r), nowNanos);
    }
  }

  /** The decision of an unlimited rate limit. */
  static QuotaDecision unlimited(Rule rule) {
    return Decisions.of(
        true,
        Reason.WITHIN_LIMIT,
        rule.name,
        LimitKind.RATE,
        UNLIMITED,
        UNLIMITED,
        NONE,
        NONE,
        NONE);
  }

  /** Whether {@code amount} tokens could be taken now from a bucket whose state is {@code tat}. */
  static QuotaDecision check(Rule rule, Rule.Bucket b, long tat, long amount, long nowNanos) {
    if (amount > b.maxAmount()) {
      // More than the bucket holds: no wait helps, and the cost would not fit a long.
      return denial(rule, b, tat, nowNanos, NONE);
    }
    long base = Math.max(tat, nowNanos);
    long cost = amount * b.interval();
    if (base - nowNanos <= b.burst() - cost) {
      return allowed(rule.name, b, base, nowNanos);
    }
    return denial(rule, b, tat, nowNanos, base + cost - b.burst() - nowNanos);
  }

  /**
   * The decision when the store refused to take {@code cost}, finding the bucket at {@code tat}.
   */
  static QuotaDecision rejected(Rule rule, Rule.Bucket b, long cost, long tat, long nowNanos) {
    long retryAfter = Math.max(tat, nowNanos) + cost - b.burst() - nowNanos;
    return denial(rule, b, tat, nowNanos, retryAfter);
  }

  /** The decision when tokens were taken (or none had to be), leaving the bucket at {@code tat}. */
  static QuotaDecision allowed(String limit, Rule.Bucket b, long tat, long nowNanos) {
    long base = Math.max(tat, nowNanos);
    return Decisions.of(
        true,
        Reason.WITHIN_LIMIT,
        limit,
        LimitKind.RATE,
        b.capacity(),
        tokens(b, base, nowNanos),
        ceilMillis(base),
        ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
        NONE);
  }

  private static QuotaDecision denial(
      Rule rule, Rule.Bucket b, long tat, long nowNanos, long retryAfterNanos) {
    long base = Math.max(tat, nowNanos);
    long remaining = tokens(b, base, nowNanos);
    if (rule.spec.soft()) {
      // A soft rate limit lets the request through without taking tokens it does not have.
      return Decisions.of(
          true,
          Reason.SOFT_LIMIT_EXCEEDED,
          rule.name,
          LimitKind.RATE,
          b.capacity(),
          remaining,
          ceilMillis(base),
          ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
          NONE);
    }
    return Decisions.of(
        false,
        Reason.LIMIT_EXCEEDED,
        rule.name,
        LimitKind.RATE,
        b.capacity(),
        remaining,
        ceilMillis(base),
        ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
        retryAfterNanos);
  }

  /** Whole tokens in a bucket whose state is {@code base = max(tat, now)}. */
  static long tokens(Rule.Bucket b, long base, long nowNanos) {
    long free = b.burst() - (base - nowNanos);
    return free <= 0 ? 0 : Math.min(b.capacity(), free / b.interval());
  }

  /**
   * Nanoseconds until a bucket whose state is {@code base = max(tat, now)} holds one whole token
   * more than now, if nothing is taken: within (0, interval]. A full bucket answers one interval,
   * when the first token taken from it is back: until then no more than its capacity can be used.
   */
  private static long untilNextToken(Rule.Bucket b, long base, long nowNanos) {
    long free = b.burst() - (base - nowNanos);
    if (free <= 0) {
      // Owed more than the bucket holds (an override lowered it): the first token once repaid.
      return b.interval() - free;
    }
    return b.interval() - free % b.interval();
  }

  static long ceilMillis(long nanos) {
    long m = nanos / NANOS_PER_MILLI;
    return nanos % NANOS_PER_MILLI > 0 ? m + 1 : m;
  }
}
