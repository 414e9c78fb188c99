package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Duration;
import java.util.Locale;

/**
 * One limit of a {@link Plan}: its kind, its amount and whether it is enforced (hard) or only
 * reported (soft). Immutable and thread-safe; create with {@link #allowance}, {@link #rate} or
 * {@link #gauge}, then {@link #asSoft()} if it should only warn.
 *
 * <p>{@link #UNLIMITED} as the amount means no limit: usage is still counted for {@link
 * LimitKind#ALLOWANCE} and {@link LimitKind#GAUGE} so it shows in {@link QuotaAdmin#status}, but
 * nothing is ever denied.
 *
 * <p>A {@link LimitKind#RATE} limit is a token bucket of {@code limit} tokens that refills {@code
 * refillTokens} per {@code refillPeriod} continuously (one token every {@code refillPeriod /
 * refillTokens}, rounded up to a whole nanosecond so the rate is never above the one configured).
 *
 * @param kind what the limit counts
 * @param limit the allowance per period, the bucket capacity or the gauge maximum; non-negative, or
 *     {@link #UNLIMITED}
 * @param period the reset period of an allowance; {@code null} for the other kinds
 * @param refillTokens tokens added per {@code refillPeriod} to a rate bucket; 0 for the other kinds
 * @param refillPeriod the period over which {@code refillTokens} are added; {@code null} for the
 *     other kinds
 * @param soft whether going over the limit is allowed and only reported
 */
public record LimitSpec(
    LimitKind kind,
    long limit,
    ResetPeriod period,
    long refillTokens,
    Duration refillPeriod,
    boolean soft) {

  /** The amount that means "no limit". */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /**
   * The largest capacity times token interval a rate limit may have, in nanoseconds (about 146
   * years), so bucket arithmetic on epoch nanoseconds never overflows.
   */
  static final long MAX_BURST_NANOS = 1L << 62;

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a component is missing, negative, or does not fit the kind
   */
  public LimitSpec {
    if (kind == null) {
      throw new InvalidInputException("kind", "is required");
    }
    if (limit < 0) {
      throw new InvalidInputException("limit", "must be zero or positive, or UNLIMITED");
    }
    switch (kind) {
      case ALLOWANCE:
        if (period == null) {
          throw new InvalidInputException("period", "an allowance needs a reset period");
        }
        requireNoRefill(refillTokens, refillPeriod);
        break;
      case GAUGE:
        if (period != null) {
          throw new InvalidInputException("period", "a gauge has no reset period");
        }
        requireNoRefill(refillTokens, refillPeriod);
        break;
      case RATE:
        if (period != null) {
          throw new InvalidInputException("period", "a rate limit has a refill period instead");
        }
        if (refillPeriod == null || refillPeriod.isNegative() || refillPeriod.isZero()) {
          throw new InvalidInputException("refillPeriod", "must be positive");
        }
        if (refillPeriod.compareTo(Duration.ofDays(366)) > 0) {
          throw new InvalidInputException("refillPeriod", "must be at most 366 days");
        }
        if (refillTokens <= 0) {
          throw new InvalidInputException("refillTokens", "must be positive");
        }
        if (limit != UNLIMITED
            && !fitsBurst(limit, tokenIntervalNanos(refillPeriod, refillTokens))) {
          throw new InvalidInputException(
              "limit", "capacity times the time per token must be at most 146 years");
        }
        break;
    }
  }

  /**
   * An allowance of {@code limit} per calendar {@code period}, hard.
   *
   * @throws InvalidInputException if {@code limit} is negative or {@code period} is null
   */
  public static LimitSpec allowance(long limit, ResetPeriod period) {
    return new LimitSpec(LimitKind.ALLOWANCE, limit, period, 0, null, false);
  }

  /**
   * A token bucket of {@code capacity} tokens that refills completely once per {@code per}, hard.
   * {@code rate(30, Duration.ofMinutes(1))} allows bursts of 30 and 30 a minute on average.
   *
   * @throws InvalidInputException if {@code capacity} is not positive or {@link #UNLIMITED}, or
   *     {@code per} is not positive
   */
  public static LimitSpec rate(long capacity, Duration per) {
    if (capacity <= 0) {
      throw new InvalidInputException("limit", "a rate limit needs a positive capacity");
    }
    return new LimitSpec(LimitKind.RATE, capacity, null, capacity, per, false);
  }

  /**
   * A token bucket of {@code capacity} tokens that gains {@code refillTokens} per {@code per},
   * hard.
   *
   * @throws InvalidInputException if an argument is not positive
   */
  public static LimitSpec rate(long capacity, long refillTokens, Duration per) {
    return new LimitSpec(LimitKind.RATE, capacity, null, refillTokens, per, false);
  }

  /**
   * A gauge of at most {@code limit} in use at once, hard.
   *
   * @throws InvalidInputException if {@code limit} is negative
   */
  public static LimitSpec gauge(long limit) {
    return new LimitSpec(LimitKind.GAUGE, limit, null, 0, null, false);
  }

  /** The same limit, only reported: requests over it are allowed with a warning. */
  public LimitSpec asSoft() {
    return new LimitSpec(kind, limit, period, refillTokens, refillPeriod, true);
  }

  /** The same limit, enforced: requests over it are denied. */
  public LimitSpec asHard() {
    return new LimitSpec(kind, limit, period, refillTokens, refillPeriod, false);
  }

  /** Whether this limit never denies. */
  public boolean isUnlimited() {
    return limit == UNLIMITED;
  }

  /** Whether going over the limit is denied. */
  public boolean hardLimit() {
    return !soft;
  }

  /**
   * For a rate limit, the nanoseconds it takes to gain one token, rounded up; 0 for other kinds.
   */
  public long tokenIntervalNanos() {
    return kind == LimitKind.RATE ? tokenIntervalNanos(refillPeriod, refillTokens) : 0;
  }

  private static void requireNoRefill(long refillTokens, Duration refillPeriod) {
    if (refillTokens != 0 || refillPeriod != null) {
      throw new InvalidInputException("refillPeriod", "only a rate limit has a refill");
    }
  }

  static long tokenIntervalNanos(Duration refillPeriod, long refillTokens) {
    long nanos = refillPeriod.toNanos();
    long interval = nanos / refillTokens;
    return Math.max(1, nanos % refillTokens == 0 ? interval : interval + 1);
  }

  static boolean fitsBurst(long capacity, long intervalNanos) {
    return capacity <= MAX_BURST_NANOS / intervalNanos;
  }

  @Override
  public String toString() {
    String amount = isUnlimited() ? "unlimited" : Long.toString(limit);
    String what =
        switch (kind) {
          case ALLOWANCE -> amount + " per " + period.name().toLowerCase(Locale.ROOT);
          case RATE -> amount + " tokens, " + refillTokens + " per " + refillPeriod;
          case GAUGE -> amount + " in use";
        };
    return kind + "(" + what + (soft ? ", soft" : "") + ")";
  }
}
