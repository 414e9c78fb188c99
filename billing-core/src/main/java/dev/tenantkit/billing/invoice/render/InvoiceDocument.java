package dev.tenantkit.billing.invoice.render;

import dev.tenantkit.billing.invoice.BillTo;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.Issuer;
import java.util.Objects;

/**
 * What a renderer prints: the invoice, who issued it and whom it bills. Immutable.
 *
 * @param invoice the invoice
 * @param issuer the issuer's details
 * @param billTo the billed tenant's details (tenant-supplied text, escaped by every renderer)
 */
public record InvoiceDocument(Invoice invoice, Issuer issuer, BillTo billTo) {

  /** Checks every component is present. */
  public InvoiceDocument {
    Objects.requireNonNull(invoice, "invoice");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(billTo, "billTo");
  }
}
