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
}
