package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The service period an invoice bills, as dates in the tenant's time zone: from {@code start}
 * (included) to {@code end} (excluded), so a calendar month of January 2026 is {@code 2026-01-01}
 * to {@code 2026-02-01} and has 31 days. Immutable.
 *
 * @param start the first day billed
 * @param end the day after the last day billed
 */
public record InvoicePeriod(LocalDate start, LocalDate end) {

  /**
   * Checks the bounds.
   *
   * @throws InvalidInputException if a bound is missing or {@code end} is not after {@code start}
   */
  public InvoicePeriod {
    if (start == null || end == null) {
      throw new InvalidInputException("period", "a period has a start and an end");
    }
    if (!end.isAfter(start)) {
      throw new InvalidInputException("period", "a period ends after it starts");
    }
  }

  /** The calendar month of this year and month (1 to 12). */
  public static InvoicePeriod month(int year, int month) {
    LocalDate start = LocalDate.of(year, month, 1);
    return new InvoicePeriod(start, start.plusMonths(1));
  }

  /** The number of days in the period. */
  public long days() {
    return ChronoUnit.DAYS.between(start, end);
  }

  /** The last day billed ({@code end - 1 day}), for display. */
  public LocalDate lastDay() {
    return end.minusDays(1);
  }

  /** Whether the day is in the period. */
  public boolean contains(LocalDate day) {
    return !day.isBefore(start) && day.isBefore(end);
  }
}
