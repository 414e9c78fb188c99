package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * How the error rate of a period compares with the period of equal length just before it.
 * Immutable.
 *
 * @param previousRange the period before, of equal length, ending where the current one starts
 * @param currentRate the error rate of the current period (fraction, 4 decimals)
 * @param previousRate the error rate of the previous period (fraction, 4 decimals)
 * @param delta {@code currentRate - previousRate}
 * @param direction {@link Direction#FLAT} while {@code |delta|} is below {@link
 *     UsageAnalytics#FLAT_BAND}, else up or down
 */
public record ErrorTrend(
    TimeRange previousRange,
    BigDecimal currentRate,
    BigDecimal previousRate,
    BigDecimal delta,
    Direction direction) {
  /** Checks that every component is present. */
  public ErrorTrend {
    Objects.requireNonNull(previousRange, "previousRange");
    Objects.requireNonNull(currentRate, "currentRate");
    Objects.requireNonNull(previousRate, "previousRate");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(direction, "direction");
  }

  /** Which way the error rate went. */
  public enum Direction {
    /** The error rate rose by at least {@link UsageAnalytics#FLAT_BAND}. */
    UP,
    /** The error rate fell by at least {@link UsageAnalytics#FLAT_BAND}. */
    DOWN,
    /** The error rate changed by less than {@link UsageAnalytics#FLAT_BAND}. */
    FLAT
  }
}
