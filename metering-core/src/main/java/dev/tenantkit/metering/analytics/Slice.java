package dev.tenantkit.metering.analytics;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One value of a dimension and its part of the whole, as in "endpoint /api/files: 12 calls, 40%".
 * Immutable.
 *
 * @param key the dimension's value; the empty string for events without the dimension
 * @param value the aggregate of the events with that value
 * @param share {@code value / total}, a fraction from 0 to 1 rounded half-up to 4 decimals; {@code
 *     null} when the meter's aggregate is not additive (a maximum, a distinct count, a latest
 *     value) or the total is not positive
 */
public record Slice(String key, BigDecimal value, BigDecimal share) {
  /** Checks that the key and value are present. */
  public Slice {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
