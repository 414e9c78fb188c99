package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The billing periods of one subscription: its alignment, interval, zone and start day decide them
 * all. Immutable and thread-safe; a pure function of its inputs (no clock).
 *
 * <p>Example (calendar alignment, monthly, start 2026-01-15): the first period is the stub {@code
 * [2026-01-15, 2026-02-01)}, 17 of January's 31 days; then {@code [2026-02-01, 2026-03-01)} and so
 * on. With {@link BillingAlignment#billCycleDay(int) billCycleDay(31)}: {@code [.., 2026-01-31)},
 * {@code [2026-01-31, 2026-02-28)}, {@code [2026-02-28, 2026-03-31)}, {@code [2026-03-31,
 * 2026-04-30)}.
 */
public final class BillingPeriods {
  private final BillingAlignment alignment;
  private final BillingInterval interval;
  private final ZoneId zone;
  private final LocalDate start;
  private final int anchorDay;
  private final int anchorMonth;

  private BillingPeriods(
      BillingAlignment alignment, BillingInterval interval, ZoneId zone, LocalDate start) {
    this.alignment = Objects.requireNonNull(alignment, "alignment");
    this.interval = Objects.requireNonNull(interval, "interval");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.start = Objects.requireNonNull(start, "start");
    switch (alignment.kind()) {
      case CALENDAR -> {
        anchorDay = 1;
        anchorMonth = 1;
      }
      case ANNIVERSARY -> {
        anchorDay = start.getDayOfMonth();
        anchorMonth = start.getMonthValue();
      }
      default -> {
        anchorDay = alignment.day();
        anchorMonth = start.getMonthValue();
      }
    }
  }

  /**
   * The periods of a subscription that starts on {@code start} (a local date in {@code zone}).
   *
   * @throws NullPointerException if an argument is null
   */
  public static BillingPeriods of(
      BillingAlignment alignment, BillingInterval interval, ZoneId zone, LocalDate start) {
    return new BillingPeriods(alignment, interval, zone, start);
  }

  /** The zone the periods are in. */
  public ZoneId zone() {
    return zone;
  }

  /** The first day of the subscription. */
  public LocalDate start() {
    return start;
  }

  /** The alignment. */
  public BillingAlignment alignment() {
    return alignment;
  }

  /** The interval. */
  public BillingInterval interval() {
    return interval;
  }

  /** The first period: a stub when the start is not on a cycle day. */
  public BillingPeriod first() {
    return containing(start);
  }

  /**
   * The period that contains this instant (read as a local date in the zone).
   *
   * @throws InvalidInputException if the instant is before the subscription's start day
   */
  public BillingPeriod containing(Instant at) {
    return containing(LocalDate.ofInstant(at, zone));
  }

  /**
   * The period that contains this local date.
   *
   * @throws InvalidInputException if the day is before the subscription's start day
   */
  public BillingPeriod containing(LocalDate day) {
    if (day.isBefore(start)) {
      throw new InvalidInputException("at", day + " is before the subscription starts on " + start);
    }
    YearMonth ym =
        interval == BillingInterval.MONTH
            ? YearMonth.from(day)
            : YearMonth.of(day.getYear(), anchorMonth);
    if (cycleDay(ym).isAfter(day)) {
      ym = ym.minusMonths(interval.months());
    }
    LocalDate cycleStart = cycleDay(ym);
    LocalDate cycleEnd = cycleDay(ym.plusMonths(interval.months()));
    LocalDate from = cycleStart.isBefore(start) ? start : cycleStart;
    return new BillingPeriod(from, cycleEnd, cycleStart, cycleEnd, zone);
  }

  /** The period after this one. */
  public BillingPeriod next(BillingPeriod period) {
    return containing(period.end());
  }

  /** The anchor day in this month, or the month's last day when the month is shorter. */
  private LocalDate cycleDay(YearMonth ym) {
    return ym.atDay(Math.min(anchorDay, ym.lengthOfMonth()));
  }
}
