package dev.tenantkit.metering.analytics;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One meter's aggregate split by each of its declared dimensions. Immutable.
 *
 * @param meter the meter's name
 * @param unit its unit
 * @param total its aggregate over the period
 * @param dimensions per dimension key (in name order), its values largest first, at most {@value
 *     UsageAnalytics#MAX_SLICES}
 */
public record MeterBreakdown(
    String meter, String unit, BigDecimal total, Map<String, List<Slice>> dimensions) {
  /** Checks that every component is present and copies the map, keeping its order. */
  public MeterBreakdown {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(total, "total");
    Map<String, List<Slice>> copy = new LinkedHashMap<>();
    dimensions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    dimensions = Collections.unmodifiableMap(copy);
  }
}
