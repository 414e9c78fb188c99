package dev.tenantkit.metering.quota;

import dev.tenantkit.metering.quota.internal.Decisions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The answer to one quota question: may this amount be used now, and how much is left. Immutable
 * and thread-safe. Its fields feed the HTTP rate-limit fields: {@link #limit()}, {@link
 * #remaining()}, {@link #nextUnitAt()} and, on a denial, {@link #retryAfter()}.
 */
public final class QuotaDecision {
  /** Marks an absent time or duration in the primitives a decision is made of. */
  public static final long NONE = Long.MIN_VALUE;

  static {
    // The enforcer, in quota.internal, makes decisions through this factory; nothing else can.
    Decisions.install(
        new Decisions.Maker() {
          @Override
          public QuotaDecision make(
              boolean allowed,
              Reason reason,
              String limitName,
              LimitKind kind,
              long limit,
              long remaining,
              long resetAtMillis,
              long nextUnitAtMillis,
              long retryAfterNanos) {
            return of(
                allowed,
                reason,
                limitName,
                kind,
                limit,
                remaining,
                resetAtMillis,
                nextUnitAtMillis,
                retryAfterNanos);
          }

          @Override
          public QuotaDecision withLimits(QuotaDecision deciding, List<QuotaDecision> limits) {
            return deciding.withLimits(limits);
          }
        });
  }

  /** Why the decision is what it is. */
  public enum Reason {
    /** Allowed: the amount fits the limit (or the limit is unlimited). */
    WITHIN_LIMIT,
    /** Allowed, but usage is over a soft limit; the caller should warn. */
    SOFT_LIMIT_EXCEEDED,
    /** Denied: the amount does not fit a hard limit. */
    LIMIT_EXCEEDED,
    /**
     * The quota store could not be reached: allowed under {@link FailureMode#FAIL_OPEN}, denied
     * under {@link FailureMode#FAIL_CLOSED}. Nothing was consumed.
     */
    STORE_UNAVAILABLE
  }

  private final boolean allowed;
  private final Reason reason;
  private final String limitName;
  private final LimitKind kind;
  private final long limit;
  private final long remaining;
  private final long resetAtMillis;
  private final long nextUnitAtMillis;
  private final long retryAfterNanos;

  /** Every limit of a batch, in the order given; null for a decision of one limit. */
  private final List<QuotaDecision> limits;

  private QuotaDecision(
      boolean allowed,
      Reason reason,
      String limitName,
      LimitKind kind,
      long limit,
      long remaining,
      long resetAtMillis,
      long nextUnitAtMillis,
      long retryAfterNanos,
      List<QuotaDecision> limits) {
    this.allowed = allowed;
    this.reason = Objects.requireNonNull(reason, "reason");
    this.limitName = Objects.requireNonNull(limitName, "limitName");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.limit = limit;
    this.remaining = remaining;
    this.resetAtMillis = resetAtMillis;
    this.nextUnitAtMillis = nextUnitAtMillis;
    this.retryAfterNanos = retryAfterNanos;
    this.limits = limits;
  }

  /**
   * Creates a decision; only the enforcer (through {@link Decisions}) and this package's tests do.
   * Times are primitives so that an enforcer's hot path allocates nothing but the decision itself.
   *
   * @param allowed whether the request may go ahead
   * @param reason why
   * @param limitName the limit that decided
   * @param kind its kind
   * @param limit its effective amount (after any override), or {@link LimitSpec#UNLIMITED}
   * @param remaining what is left after this decision, non-negative
   * @param resetAtMillis when the limit is whole again, in epoch milliseconds, or {@link #NONE}
   * @param nextUnitAtMillis when more than {@code remaining} is next available if nothing more is
   *     used, in epoch milliseconds, or {@link #NONE} (see {@link #nextUnitAt()})
   * @param retryAfterNanos on a denial, how long until the same request could pass, or {@link
   *     #NONE} when waiting does not help
   * @throws IllegalArgumentException if {@code allowed} contradicts {@code reason}, or {@code
   *     remaining} or {@code limit} is negative
   */
  static QuotaDecision of(
      boolean allowed,
      Reason reason,
      String limitName,
      LimitKind kind,
      long limit,
      long remaining,
      long resetAtMillis,
      long nextUnitAtMillis,
      long retryAfterNanos) {
    boolean consistent =
        reason == Reason.STORE_UNAVAILABLE || allowed == (reason != Reason.LIMIT_EXCEEDED);
    if (!consistent) {
      throw new IllegalArgumentException(reason + " contradicts allowed=" + allowed);
    }
    if (limit < 0 || remaining < 0) {
      throw new IllegalArgumentException("limit and remaining are non-negative");
    }
    return new QuotaDecision(
        allowed,
        reason,
        limitName,
        kind,
        limit,
        remaining,
        resetAtMillis,
        nextUnitAtMillis,
        retryAfterNanos,
        null);
  }

  /** This decision, reporting {@code limits} as every limit of its batch. */
  QuotaDecision withLimits(List<QuotaDecision> limits) {
    return new QuotaDecision(
        allowed,
        reason,
        limitName,
        kind,
        limit,
        remaining,
        resetAtMillis,
        nextUnitAtMillis,
        retryAfterNanos,
        List.copyOf(limits));
  }

  /**
   * The decision of every limit the call touched, each as that limit alone stands after it, in the
   * order of the map given to {@link QuotaEnforcer#tryConsumeAll}; this decision (the deciding
   * limit's) is one of them. After a denial nothing was consumed, so the others say where their
   * limits stand unchanged, as {@link QuotaEnforcer#check} with an amount of 0 would. A decision of
   * one limit, and one the failure mode made, lists itself alone. Not part of {@link #equals}.
   */
  public List<QuotaDecision> limits() {
    return limits == null ? List.of(this) : limits;
  }

  /** Whether the request may go ahead (and, for a consuming call, was counted). */
  public boolean allowed() {
    return allowed;
  }

  /** Why the decision is what it is. */
  public Reason reason() {
    return reason;
  }

  /** The name of the limit that decided, such as {@code api_calls}. */
  public String limitName() {
    return limitName;
  }

  /** The kind of that limit. */
  public LimitKind kind() {
    return kind;
  }

  /**
   * The effective limit (after a tenant override): the allowance per period, the bucket capacity or
   * the gauge maximum; {@link LimitSpec#UNLIMITED} when unlimited, 0 when the store was unavailable
   * and the plan could not be read.
   */
  public long limit() {
    return limit;
  }

  /** Whether the limit is unlimited. */
  public boolean unlimited() {
    return limit == LimitSpec.UNLIMITED;
  }

  /**
   * What is left after this decision: units of the allowance or gauge, or whole tokens in the
   * bucket; {@link LimitSpec#UNLIMITED} when unlimited, 0 when unknown because the store was
   * unavailable.
   */
  public long remaining() {
    return remaining;
  }

  /**
   * When the limit is whole again: the start of the next period for an allowance, the moment the
   * bucket is full again for a rate limit; empty for a gauge, an unlimited limit or when unknown.
   */
  public Optional<Instant> resetAt() {
    return resetAtMillis == NONE
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(resetAtMillis));
  }

  /**
   * When more than {@link #remaining()} is next available, if nothing more is used: for a rate
   * limit the moment its next whole token accrues (within one token interval, even for a full
   * bucket, which holds no more but gives one back that interval after it is used), for an
   * allowance the start of the next period; empty for a gauge (only a release makes room), an
   * unlimited limit or when unknown. Until then no more than {@link #remaining()} can be used: the
   * {@code t} of the {@code RateLimit} HTTP field.
   */
  public Optional<Instant> nextUnitAt() {
    return nextUnitAtMillis == NONE
        ? Optional.empty()
        : Optional.of(Instant.ofEpochMilli(nextUnitAtMillis));
  }

  /**
   * For a denial by an allowance or a rate limit, how long until the same request could pass; empty
   * when allowed, for a gauge (something must be released first), and when the amount is larger
   * than the limit itself so waiting never helps.
   */
  public Optional<Duration> retryAfter() {
    return retryAfterNanos == NONE
        ? Optional.empty()
        : Optional.of(Duration.ofNanos(retryAfterNanos));
  }

  /** Whether usage is over a soft limit, so the caller should warn. */
  public boolean softWarning() {
    return reason == Reason.SOFT_LIMIT_EXCEEDED;
  }

  /** Whether the store was unavailable, so the failure mode decided instead of the limit. */
  public boolean degraded() {
    return reason == Reason.STORE_UNAVAILABLE;
  }

  /** A sentence that says what was decided and why, fit for a log or an error response. */
  public String message() {
    String amount = unlimited() ? "unlimited" : Long.toString(limit);
    switch (reason) {
      case WITHIN_LIMIT:
        return limitName
            + ": allowed, "
            + (unlimited() ? "unlimited" : remaining + " of " + amount + " left");
      case SOFT_LIMIT_EXCEEDED:
        return limitName + ": allowed, but over the soft limit of " + amount;
      case LIMIT_EXCEEDED:
        return limitName
            + ": limit of "
            + amount
            + (kind == LimitKind.GAUGE ? " in use" : "")
            + " reached, "
            + remaining
            + " left"
            + retryAfter().map(d -> "; retry after " + d).orElse("");
      default:
        return limitName
            + ": the quota store is unavailable; "
            + (allowed ? "allowed without enforcement (fail-open)" : "denied (fail-closed)");
    }
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof QuotaDecision)) {
      return false;
    }
    QuotaDecision d = (QuotaDecision) o;
    return allowed == d.allowed
        && reason == d.reason
        && limitName.equals(d.limitName)
        && kind == d.kind
        && limit == d.limit
        && remaining == d.remaining
        && resetAtMillis == d.resetAtMillis
        && nextUnitAtMillis == d.nextUnitAtMillis
        && retryAfterNanos == d.retryAfterNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        allowed,
        reason,
        limitName,
        kind,
        limit,
        remaining,
        resetAtMillis,
        nextUnitAtMillis,
        retryAfterNanos);
  }

  @Override
  public String toString() {
    return "QuotaDecision[" + message() + "]";
  }
}
