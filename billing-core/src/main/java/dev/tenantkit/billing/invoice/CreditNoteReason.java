package dev.tenantkit.billing.invoice;

import java.util.Locale;

/** Why a credit note was issued (the reasons Lago's credit notes carry). */
public enum CreditNoteReason {
  /** A charge was billed twice. */
  DUPLICATED_CHARGE,
  /** The tenant was not satisfied with the service. */
  PRODUCT_UNSATISFACTORY,
  /** The subscription changed (an upgrade credits the unused part of an advance fee). */
  ORDER_CHANGE,
  /** The subscription was cancelled (the unused part of an advance fee). */
  ORDER_CANCELLATION,
  /** The charge was fraudulent. */
  FRAUDULENT_CHARGE,
  /** Any other reason, said in the description. */
  OTHER;

  /** {@code order_change}, ... */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
