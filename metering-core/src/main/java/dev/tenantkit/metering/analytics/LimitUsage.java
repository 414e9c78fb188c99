package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.quota.LimitKind;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where a tenant stands on one limit of its plan, in a form fit to show: unlimited amounts are
 * {@code null} rather than {@link Long#MAX_VALUE}. Immutable.
 *
 * @param name the limit's name, such as {@code files}
 * @param kind allowance, rate or gauge
 * @param used this period's allowance used, the gauge in use, or the tokens missing from the rate
 *     bucket
 * @param limit the effective limit after overrides; {@code null} when unlimited
 * @param remaining what is left; {@code null} when unlimited
 * @param percentUsed {@code used * 100 / limit} rounded down; 100 for a limit of 0; 0 when
 *     unlimited
 * @param resetAt when an allowance resets or a rate bucket is full again; {@code null} for a gauge
 *     or when unlimited
 * @param hard whether going over is denied
 * @param overridden whether a per-tenant override sets the limit
 * @param thresholdsCrossed the catalog's warning thresholds (percent) that usage has reached,
 *     ascending
 * @param warning a sentence about the highest threshold crossed, {@code null} when none is
 */
public record LimitUsage(
    String name,
    LimitKind kind,
    long used,
    Long limit,
    Long remaining,
    int percentUsed,
    Instant resetAt,
    boolean hard,
    boolean overridden,
    List<Integer> thresholdsCrossed,
    String warning) {
  /** Checks the components and copies the list. */
  public LimitUsage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    thresholdsCrossed = List.copyOf(thresholdsCrossed);
  }

  /** Whether the limit is unlimited. */
  public boolean unlimited() {
    return limit == null;
  }
}
