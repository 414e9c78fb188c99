package dev.tenantkit.metering.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** UTC hour and day arithmetic of rollup buckets. */
final class Times {
  static final Duration HOUR = Duration.ofHours(1);
  static final Duration DAY = Duration.ofDays(1);

  private Times() {}

  static Instant floorHour(Instant t) {
    return t.truncatedTo(ChronoUnit.HOURS);
  }

  static Instant ceilHour(Instant t) {
    Instant f = floorHour(t);
    return f.equals(t) ? t : f.plus(HOUR);
  }

  static Instant floorDay(Instant t) {
    return t.truncatedTo(ChronoUnit.DAYS);
  }

  static Instant ceilDay(Instant t) {
    Instant f = floorDay(t);
    return f.equals(t) ? t : f.plus(DAY);
  }

  static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
