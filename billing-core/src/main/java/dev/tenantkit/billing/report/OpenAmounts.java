package dev.tenantkit.billing.report;

import dev.tenantkit.billing.Money;
import java.util.Objects;

/**
 * What is still to be paid in one currency. Immutable.
 *
 * @param open the amount due of every open invoice (finalized or sent, not paid)
 * @param openInvoices how many invoices {@code open} sums
 * @param overdue the part of {@code open} whose due date has passed
 * @param overdueInvoices how many invoices {@code overdue} sums
 */
public record OpenAmounts(Money open, int openInvoices, Money overdue, int overdueInvoices) {
  /** Checks the components. */
  public OpenAmounts {
    Objects.requireNonNull(open, "open");
    Objects.requireNonNull(overdue, "overdue");
  }
}
