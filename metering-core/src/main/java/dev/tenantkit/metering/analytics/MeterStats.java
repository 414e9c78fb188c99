package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.UsagePoint;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One meter over a period: its aggregate and its series. Immutable.
 *
 * @param meter the meter's name
 * @param unit its unit
 * @param aggregation how its events combine (the series' points and the total are this aggregate)
 * @param total its aggregate over the whole period
 * @param series one point per bucket of {@link UsageStats#granularity()}, every bucket present (0
 *     when empty); the first and last buckets are clipped to the period
 */
public record MeterStats(
    String meter, String unit, Aggregation aggregation, BigDecimal total, List<UsagePoint> series) {
  /** Checks that every component is present and copies the series. */
  public MeterStats {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(aggregation, "aggregation");
    Objects.requireNonNull(total, "total");
    series = List.copyOf(series);
  }
}
