package dev.tenantkit.metering;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;

/**
 * A half-open interval {@code [from, to)} of time.
 *
 * @param from inclusive start
 * @param to exclusive end, after {@code from}
 */
public record TimeRange(Instant from, Instant to) {

  /**
   * @throws InvalidInputException if either end is missing or {@code to} is not after {@code from}
   */
  public TimeRange {
    if (from == null || to == null || !to.isAfter(from)) {
      throw new InvalidInputException("period", "a time range needs from < to");
    }
  }

  /** Whether {@code t} is inside. */
  public boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(to);
  }
}
