package dev.tenantkit.metering.quota;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a tenant stands on one limit of its plan, from {@link QuotaAdmin#status}. Immutable.
 *
 * @param limitName the limit's name
 * @param kind its kind
 * @param used the allowance used this period, the amount of the gauge in use, or the tokens missing
 *     from the rate bucket
 * @param limit the effective limit (after any override), or {@link LimitSpec#UNLIMITED}
 * @param remaining {@code limit - used}, at least 0; {@link LimitSpec#UNLIMITED} when unlimited
 * @param percentUsed {@code used * 100 / limit} rounded down (it can pass 100 for a soft limit, up
 *     to {@link Integer#MAX_VALUE}); 100 for a limit of 0, which has nothing left whatever was
 *     used; 0 when unlimited
 * @param resetAt when the allowance resets or the bucket is full again; {@code null} for a gauge or
 *     when unlimited
 * @param hard whether going over is denied (else only reported)
 * @param overridden whether a per-tenant override sets the limit
 * @param thresholdsCrossed the catalog's thresholds (in percent) that usage has reached, ascending
 */
public record QuotaStatus(
    String limitName,
    LimitKind kind,
    long used,
    long limit,
    long remaining,
    int percentUsed,
    Instant resetAt,
    boolean hard,
    boolean overridden,
    List<Integer> thresholdsCrossed) {

  /** Checks that required components are present and copies the list. */
  public QuotaStatus {
    Objects.requireNonNull(limitName, "limitName");
    Objects.requireNonNull(kind, "kind");
    thresholdsCrossed = List.copyOf(thresholdsCrossed);
  }

  /** Whether the limit is unlimited. */
  public boolean unlimited() {
    return limit == LimitSpec.UNLIMITED;
  }
}
