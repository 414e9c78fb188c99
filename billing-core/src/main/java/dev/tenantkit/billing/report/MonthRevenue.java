package dev.tenantkit.billing.report;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Objects;
import java.util.Optional;

/**
 * Revenue of one month in one currency (of one plan, or of every plan), and its change against the
 * month before. Immutable.
 *
 * @param month the month the invoices were issued in
 * @param plan the plan, or empty for the month's total over every plan
 * @param amount the revenue: the invoices' totals before tax
 * @param change {@code amount} less the month before's amount (negative for a fall)
 * @param changePercent {@code change} over the month before's amount, in percent, rounded half-up
 *     to one decimal; empty when the month before is zero
 */
public record MonthRevenue(
    YearMonth month,
    Optional<String> plan,
    Money amount,
    Money change,
    Optional<BigDecimal> changePercent) {
  /** Checks the components. */
  public MonthRevenue {
    Objects.requireNonNull(month, "month");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(changePercent, "changePercent");
  }
}
