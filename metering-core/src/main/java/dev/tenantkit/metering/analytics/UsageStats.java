package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.TimeRange;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's usage over a period, every meter of the catalog with its total and its series.
 * Immutable.
 *
 * @param range the period
 * @param zone the time zone whose hours and days the series' buckets follow
 * @param granularity {@link Granularity#HOUR} for periods up to 7 days, else {@link
 *     Granularity#DAY}
 * @param meters one entry per meter, by name
 */
public record UsageStats(
    TimeRange range, ZoneId zone, Granularity granularity, List<MeterStats> meters) {
  /** Checks that every component is present and copies the list. */
  public UsageStats {
    Objects.requireNonNull(range, "range");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(granularity, "granularity");
    meters = List.copyOf(meters);
  }
}
