package dev.tenantkit.billing.spi;

import dev.tenantkit.billing.invoice.Invoice;
import java.util.Objects;

/**
 * What {@link BillingStore#insertDraft} did: stored the draft, or found an invoice already stored
 * under the same idempotency key and wrote nothing. Immutable.
 *
 * @param invoice the invoice stored under the key: the new draft, or the one stored before
 * @param created whether this call stored it
 */
public record DraftInsert(Versioned<Invoice> invoice, boolean created) {
  /** Checks the components. */
  public DraftInsert {
    Objects.requireNonNull(invoice, "invoice");
  }
}
