package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's usage over a period by endpoint, status, type, model and every other declared
 * dimension. Immutable.
 *
 * @param range the period
 * @param meters one entry per meter that declares at least one dimension, by name
 */
public record UsageBreakdown(TimeRange range, List<MeterBreakdown> meters) {
  /** Checks the range and copies the list. */
  public UsageBreakdown {
    Objects.requireNonNull(range, "range");
    meters = List.copyOf(meters);
  }
}
