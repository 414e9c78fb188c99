package dev.tenantkit.billing.invoice;

import dev.tenantkit.tenancy.StateException;

/**
 * An invoice or credit note was asked to do what its status does not allow: finalizing twice,
 * paying a voided invoice, a credit note against a draft. Nothing was changed. Code {@code
 * invalid-invoice-state}.
 */
public final class InvoiceStateException extends StateException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message which transition or operation was refused and why
   */
  public InvoiceStateException(String message) {
    super("invalid-invoice-state", message);
  }

  /**
   * The refusal to void an invoice that has credit notes: a note credited back gave the tenant
   * credit for it, and voiding would cancel the debt while the credit stays. Credit what is left
   * instead.
   */
  public static InvoiceStateException creditedCannotBeVoided(String invoiceId) {
    return new InvoiceStateException(
        "invoice "
            + invoiceId
            + " has credit notes and cannot be voided; issue a credit note for what is left");
  }
}
