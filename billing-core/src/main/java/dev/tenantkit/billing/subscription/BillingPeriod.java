package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * One billing period of a subscription: local dates {@code [start, end)} in the tenant's zone,
 * inside its aligned cycle {@code [cycleStart, cycleEnd)}. The period is the whole cycle except for
 * a first partial period (a stub) that starts with the subscription. Immutable.
 *
 * <p>Boundaries are local dates at the first instant of the day in the zone, so a period is a whole
 * number of days however long they are (a day of 23 or 25 hours at a daylight-saving change counts
 * as one; where midnight does not exist, the day starts at its first instant).
 *
 * @param start the first day of the period
 * @param end the day after the last day of the period
 * @param cycleStart the first day of the full cycle the period lies in
 * @param cycleEnd the day after the last day of that cycle; equals {@code end}
 * @param zone the zone of the dates
 */
public record BillingPeriod(
    LocalDate start, LocalDate end, LocalDate cycleStart, LocalDate cycleEnd, ZoneId zone) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a component is missing, the period is empty or not inside its
   *     cycle
   */
  public BillingPeriod {
    if (start == null || end == null || cycleStart == null || cycleEnd == null || zone == null) {
      throw new InvalidInputException("period", "every date and the zone are required");
    }
    if (!start.isBefore(end) || start.isBefore(cycleStart) || !end.equals(cycleEnd)) {
      throw new InvalidInputException(
          "period",
          "[" + start + ", " + end + ") is not a period of [" + cycleStart + ", " + cycleEnd + ")");
    }
  }

  /** The days in the period. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end);
  }

  /** The days in the full cycle (28 to 31 for a month, 365 or 366 for a year). */
  public long cycleDays() {
    return ChronoUnit.DAYS.between(cycleStart, cycleEnd);
  }

  /** Whether the period is shorter than its cycle: a first partial period. */
  public boolean isPartial() {
    return !start.equals(cycleStart);
  }

  /**
   * The part of the cycle the period covers, {@code days / cycleDays} to {@link
   * Money#PRECISE_SCALE} decimals half-up: what a prorated flat fee is multiplied by.
   */
  public BigDecimal fraction() {
    return ratio(days(), cycleDays());
  }

  /** The first instant of the period. */
  public Instant startInstant() {
    return start.atStartOfDay(zone).toInstant();
  }

  /** The first instant after the period. */
  public Instant endInstant() {
    return end.atStartOfDay(zone).toInstant();
  }

  /** Whether the instant falls in the period. */
  public boolean contains(Instant at) {
    return !at.isBefore(startInstant()) && at.isBefore(endInstant());
  }

  /** Whether the local date falls in the period. */
  public boolean contains(LocalDate day) {
    return !day.isBefore(start) && day.isBefore(end);
  }

  /**
   * {@code days / of} to {@link Money#PRECISE_SCALE} (12) decimals, half-up: the proration ratio.
   */
  static BigDecimal ratio(long days, long of) {
    return Money.precise(
        BigDecimal.valueOf(days)
            .divide(BigDecimal.valueOf(of), Money.PRECISE_SCALE, RoundingMode.HALF_UP));
  }

  @Override
  public String toString() {
    return "[" + start + ", " + end + ") of [" + cycleStart + ", " + cycleEnd + ") " + zone;
  }
}
