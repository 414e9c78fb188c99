package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's usage this month so far and where it stands on its plan's limits. Immutable.
 *
 * @param asOf when it was computed
 * @param month from the start of this month (in the analytics' zone) to now
 * @param meters every meter's aggregate this month, by name
 * @param limits every limit of the tenant's plan, in the plan's order
 */
public record CurrentUsage(
    Instant asOf, TimeRange month, List<MeterValue> meters, List<LimitUsage> limits) {
  /** Checks the components and copies the lists. */
  public CurrentUsage {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(month, "month");
    meters = List.copyOf(meters);
    limits = List.copyOf(limits);
  }
}
