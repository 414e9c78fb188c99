package dev.tenantkit.billing.run;

import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.subscription.BillingPeriod;
import java.time.Instant;
import java.util.Objects;

/**
 * A preview of the invoice that the end of the current period will produce, with the usage so far
 * ({@link PeriodBiller#upcoming}). Immutable.
 *
 * @param period the current period, which the invoice bills in arrears
 * @param asOf the instant the usage was read up to
 * @param invoice the draft the period's end would produce if nothing more were used
 */
public record UpcomingInvoice(BillingPeriod period, Instant asOf, Invoice invoice) {
  /** Checks every component is present. */
  public UpcomingInvoice {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(invoice, "invoice");
  }
}
