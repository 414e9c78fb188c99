package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * Key figures of one window of time (today, or a period). Immutable.
 *
 * @param range the window
 * @param meters every meter's aggregate over the window, by name
 * @param apiCalls calls made
 * @param errors calls that failed
 * @param errorRate {@code errors / apiCalls}, a fraction rounded half-up to 4 decimals
 * @param p95LatencyMs the 95th percentile of {@code request_latency} in milliseconds, within 1% of
 *     the exact value; 0 without calls
 */
public record KpiWindow(
    TimeRange range,
    List<MeterValue> meters,
    long apiCalls,
    long errors,
    BigDecimal errorRate,
    BigDecimal p95LatencyMs) {
  /** Checks the components and copies the list. */
  public KpiWindow {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(errorRate, "errorRate");
    Objects.requireNonNull(p95LatencyMs, "p95LatencyMs");
    meters = List.copyOf(meters);
  }
}
