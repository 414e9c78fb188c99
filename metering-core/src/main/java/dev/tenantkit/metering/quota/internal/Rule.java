package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaStore;

/**
 * One limit of one plan with what a decision needs precomputed, so that the hot path does no
 * division or {@code Duration} arithmetic unless an override changes the bucket. Thread-safe.
 */
final class Rule {
  /**
   * How often one decision retries after the store saw a newer override; more means the store keeps
   * answering {@link CellResult#OVERRIDE_CHANGED}, which is treated as the store failing.
   */
  private static final int MAX_ATTEMPTS = 16;

  /** {@code burst} of a rate limit, capped so bucket arithmetic on epoch nanoseconds fits. */
  private static final long MAX_BURST = 1L << 62;

  final String name;
  final LimitSpec spec;
  final LimitKind kind;
  final long planLimit;
  final boolean hard;
  final ResetPeriod period;

  /** The token bucket of a rate limit without an override; null for other kinds or unlimited. */
  final Bucket bucket;

  /**
   * A token bucket's parameters.
   *
   * @param capacity tokens
   * @param interval nanoseconds per token
   * @param burst the capacity in nanoseconds
   * @param maxAmount the most tokens one request can take
   */
  record Bucket(long capacity, long interval, long burst, long maxAmount) {
    static Bucket of(long capacity, long interval) {
      long burst = Rule.burst(capacity, interval);
      return new Bucket(capacity, interval, burst, burst / interval);
    }
  }

  Rule(String name, LimitSpec spec, int[] thresholds) {
    this.name = name;
    this.spec = spec;
    this.kind = spec.kind();
    this.planLimit = spec.limit();
    this.hard = spec.hardLimit();
    this.period = spec.period();
    this.bucket =
        kind == LimitKind.RATE && !spec.isUnlimited()
            ? Bucket.of(planLimit, spec.tokenIntervalNanos())
            : null;
    this.planMarks = marks(planLimit, thresholds);
  }

  /**
   * The smallest usage that reaches threshold {@code i} of {@code thresholds} under {@code
   * effective}: precomputed for the plan's limit, computed (without allocating) for an override.
   */
  long mark(long effective, int[] thresholds, int i) {
    return effective == planLimit ? planMarks[i] : thresholdAmount(effective, thresholds[i]);
  }

  private static long[] marks(long limit, int[] thresholds) {
    long[] marks = new long[thresholds.length];
    for (int i = 0; i < marks.length; i++) {
      marks[i] = thresholdAmount(limit, thresholds[i]);
    }
    return marks;
  }

  /**
   * The smallest usage that reaches {@code percent} of {@code limit}: ceil(limit * percent / 100).
   */
  static long thresholdAmount(long limit, int percent) {
    try {
      long whole = Math.multiplyExact(limit / 100, percent);
      long part = (limit % 100) * percent;
      return Math.addExact(whole, part / 100 + (part % 100 == 0 ? 0 : 1));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The last bucket made for an override, kept so that a tenant with an override does not make one
   * per decision; tenants of this plan with other overrides replace it (a benign race: buckets are
   * immutable and checked before use).
   */
  private volatile Bucket overridden;

  /** The token bucket under {@code override}, which is not unlimited. */
  Bucket bucket(long override) {
    if (override < 0) {
      return bucket;
    }
    Bucket b = overridden;
    if (b == null || b.capacity() != override) {
      b = Bucket.of(override, interval(override));
      overridden = b;
    }
    return b;
  }

  /**
   * Ends a decision's retries when the store reported a changed override on the last of its allowed
   * attempts.
   *
   * @throws IllegalStateException after the last attempt, which the enforcer answers as a store
   *     failure
   */
  void giveUpAfter(int attempt) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new IllegalStateException(
          "the quota store reported a changed override of "
              + name
              + " "
              + attempt
              + " times in a row");
    }
  }

  /** The limit in force: the override if there is one, else the plan's. */
  long effective(long override) {
    return override >= 0 ? override : planLimit;
  }

  /**
   * The smallest usage that reaches each threshold of the plan's limit, in the order of the
   * thresholds.
   */
  private final long[] planMarks;

  /** The ceiling of a counter under {@code effective}: none for a soft or unlimited limit. */
  long ceiling(long effective) {
    return hard && effective != LimitSpec.UNLIMITED
        ? Math.min(effective, QuotaStore.NO_CEILING)
        : QuotaStore.NO_CEILING;
  }

  /**
   * Nanoseconds per token under {@code override}. An override changes the capacity and keeps the
   * time the plan's bucket takes to fill from empty, so "120" for a 60-per-minute limit means 120
   * per minute.
   */
  private long interval(long override) {
    if (override == 0) {
      return 1;
    }
    long fill =
        spec.isUnlimited() ? spec.refillPeriod().toNanos() : planLimit * spec.tokenIntervalNanos();
    return Math.max(1, fill / override + (fill % override == 0 ? 0 : 1));
  }

  /** Capacity in nanoseconds, capped so that bucket arithmetic never overflows. */
  private static long burst(long capacity, long interval) {
    return Math.min(capacity, MAX_BURST / interval) * interval;
  }
}
