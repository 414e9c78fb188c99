package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.ResetPeriod;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Calendar periods in one zone, with the current day and month cached so that the hot path does no
 * date arithmetic (and allocates nothing) until a boundary passes. Thread-safe: a cached window is
 * immutable and only used when it contains the instant asked about.
 */
final class CalendarWindows {
  private final ZoneId zone;
  private volatile Window day;
  private volatile Window month;

  CalendarWindows(ZoneId zone) {
    this.zone = zone;
  }

  /** The period containing {@code nowMillis}. */
  Window window(ResetPeriod period, long nowMillis) {
    Window w = period == ResetPeriod.DAY ? day : month;
    if (w != null && nowMillis >= w.start && nowMillis < w.end) {
      return w;
    }
    w = compute(period, zone, nowMillis);
    if (period == ResetPeriod.DAY) {
      day = w;
    } else {
      month = w;
    }
    return w;
  }

  static Window compute(ResetPeriod period, ZoneId zone, long nowMillis) {
    LocalDate date = Instant.ofEpochMilli(nowMillis).atZone(zone).toLocalDate();
    LocalDate start = period == ResetPeriod.DAY ? date : date.withDayOfMonth(1);
    LocalDate end = period == ResetPeriod.DAY ? start.plusDays(1) : start.plusMonths(1);
    // atStartOfDay, not atTime(MIDNIGHT): where a DST change skips midnight, the day starts at the
    // first instant that exists.
    return new Window(
        start.atStartOfDay(zone).toInstant().toEpochMilli(),
        end.atStartOfDay(zone).toInstant().toEpochMilli());
  }

  /** A period {@code [start, end)} in epoch milliseconds. */
  static final class Window {
    final long start;
    final long end;

    Window(long start, long end) {
      this.start = start;
      this.end = end;
    }
  }
}
