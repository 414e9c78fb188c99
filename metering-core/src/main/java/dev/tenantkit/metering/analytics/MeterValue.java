package dev.tenantkit.metering.analytics;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One meter's aggregate over a range (a count, a sum, a maximum... as the meter aggregates).
 * Immutable.
 *
 * @param meter the meter's name
 * @param unit its unit, such as {@code calls} or {@code bytes}
 * @param value its aggregate over the range; 0 when there was no event
 */
public record MeterValue(String meter, String unit, BigDecimal value) {
  /** Checks that every component is present. */
  public MeterValue {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(value, "value");
  }
}
