package dev.tenantkit.billing.report;

import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * Open and overdue amounts on a day, per currency. Immutable.
 *
 * @param today the day overdue is judged on (an invoice is overdue the day after its due date)
 * @param byCurrency per currency, by code; a currency with nothing open has no entry
 */
public record Receivables(LocalDate today, List<OpenAmounts> byCurrency) {
  /** Checks the components and copies the list. */
  public Receivables {
    Objects.requireNonNull(today, "today");
    byCurrency = List.copyOf(byCurrency);
  }
}
