package dev.tenantkit.billing.spi;

import dev.tenantkit.billing.invoice.InvoiceStatus;
import java.time.LocalDate;
import java.util.Optional;

/**
 * Which invoices an operator's listing across tenants returns. Immutable.
 *
 * @param status only invoices in this status, or every status when empty
 * @param periodStart only invoices whose service period starts on this day, or any when empty
 */
public record InvoiceFilter(Optional<InvoiceStatus> status, Optional<LocalDate> periodStart) {
  /** Every invoice. */
  public static final InvoiceFilter ALL = new InvoiceFilter(Optional.empty(), Optional.empty());

  /** Checks the components. */
  public InvoiceFilter {
    status = status == null ? Optional.empty() : status;
    periodStart = periodStart == null ? Optional.empty() : periodStart;
  }

  /** This filter, also keeping only invoices in {@code status}. */
  public InvoiceFilter withStatus(InvoiceStatus s) {
    return new InvoiceFilter(Optional.of(s), periodStart);
  }

  /** This filter, also keeping only invoices whose period starts on {@code day}. */
  public InvoiceFilter withPeriodStart(LocalDate day) {
    return new InvoiceFilter(status, Optional.of(day));
  }
}
