package dev.tenantkit.billing.invoice.render;

import dev.tenantkit.billing.invoice.CreditNote;

/**
 * Turns a credit note into a document of one media type. Implementations are stateless and
 * thread-safe.
 */
public interface CreditNoteRenderer {

  /** The media type of what {@link #render} returns. */
  String mediaType();

  /**
   * The document's bytes (UTF-8 for the text formats).
   *
   * @throws java.io.UncheckedIOException if the document library fails to write
   */
  byte[] render(CreditNote note);

  /**
   * JSON with the invoice renderer's conventions: snake_case field names, amounts as strings with
   * the currency's decimals.
   */
  static CreditNoteRenderer json() {
    return JsonCreditNoteRenderer.INSTANCE;
  }
}
