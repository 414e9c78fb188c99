package dev.tenantkit.metering.analytics;

import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The named reporting periods of the analytics API: {@code 7d}, {@code 30d}, {@code 90d} and {@code
 * 1y} (365 days), each a range that ends now. Stateless and thread-safe.
 *
 * <p>A range ends just after now: at the next microsecond (event timestamps are kept to the
 * microsecond), so an event stamped at this very instant is inside it.
 */
public final class ReportPeriods {
  /** The accepted period names, shortest first. */
  public static final List<String> NAMES = List.of("7d", "30d", "90d", "1y");

  private static final Map<String, Duration> LENGTHS =
      Map.of(
          "7d", Duration.ofDays(7),
          "30d", Duration.ofDays(30),
          "90d", Duration.ofDays(90),
          "1y", Duration.ofDays(365));

  private ReportPeriods() {}

  /**
   * The range of the named period ending now.
   *
   * @param period one of {@link #NAMES}, exactly as written there
   * @param clock where "now" comes from
   * @return {@code [end - length, end)} with {@code end = }{@link #end(Instant)}
   * @throws InvalidInputException (field {@code period}) if the name is not one of {@link #NAMES}
   */
  public static TimeRange parse(String period, InstantSource clock) {
    Objects.requireNonNull(clock, "clock");
    Duration length = period == null ? null : LENGTHS.get(period);
    if (length == null) {
      throw new InvalidInputException(
          "period", "period must be one of " + String.join(", ", NAMES));
    }
    return ending(clock.instant(), length);
  }

  /**
   * The range of {@code length} that ends just after {@code now}.
   *
   * @throws InvalidInputException (field {@code period}) if {@code length} is not positive
   */
  public static TimeRange ending(Instant now, Duration length) {
    if (length == null || length.isNegative() || length.isZero()) {
      throw new InvalidInputException("period", "a period has a positive length");
    }
    Instant end = end(now);
    return new TimeRange(end.minus(length), end);
  }

  /** The exclusive end of a range that includes {@code now}: the next whole microsecond. */
  public static Instant end(Instant now) {
    return now.truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
  }
}
