package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's failed API calls over a period, from the {@code errors} and {@code api_calls} meters.
 * Immutable.
 *
 * @param range the period
 * @param zone the time zone of {@link #byHourOfDay()}
 * @param errors how many calls failed
 * @param apiCalls how many calls were made, failed ones included
 * @param errorRate {@code errors / apiCalls} as a fraction rounded half-up to 4 decimals (see
 *     {@link UsageAnalytics#errorRate(long, long)})
 * @param byType errors per {@code error_type}, largest first
 * @param byStatus errors per HTTP status, largest first
 * @param byEndpoint errors per endpoint (route template), largest first
 * @param byHourOfDay 24 counts: errors whose local hour in {@code zone} was 0, 1, ... 23
 */
public record ErrorStats(
    TimeRange range,
    ZoneId zone,
    long errors,
    long apiCalls,
    BigDecimal errorRate,
    List<Slice> byType,
    List<Slice> byStatus,
    List<Slice> byEndpoint,
    List<Long> byHourOfDay) {
  /**
   * Checks the components and copies the lists.
   *
   * @throws IllegalArgumentException if {@code byHourOfDay} does not have 24 entries
   */
  public ErrorStats {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(errorRate, "errorRate");
    byType = List.copyOf(byType);
    byStatus = List.copyOf(byStatus);
    byEndpoint = List.copyOf(byEndpoint);
    byHourOfDay = List.copyOf(byHourOfDay);
    if (byHourOfDay.size() != 24) {
      throw new IllegalArgumentException("byHourOfDay has 24 entries");
    }
  }
}
