package dev.tenantkit.billing.report;

import java.time.YearMonth;
import java.util.List;
import java.util.Objects;

/**
 * Revenue by month and by plan over a range of months. Immutable.
 *
 * @param from the first month
 * @param to the last month
 * @param totals per currency (by code), then per month: the month's revenue over every plan
 * @param byPlan per plan (by id), then currency, then month: the plan's revenue; a plan seen in one
 *     month of the range (or the month before it) has a row for every month, zero when nothing was
 *     issued
 */
public record MonthlyRevenue(
    YearMonth from, YearMonth to, List<MonthRevenue> totals, List<MonthRevenue> byPlan) {
  /** Checks the components and copies the lists. */
  public MonthlyRevenue {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    totals = List.copyOf(totals);
    byPlan = List.copyOf(byPlan);
  }
}
