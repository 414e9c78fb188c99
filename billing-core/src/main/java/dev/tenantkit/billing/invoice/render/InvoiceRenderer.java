package dev.tenantkit.billing.invoice.render;

/**
 * Turns an invoice into a document of one media type: JSON, HTML or PDF. Implementations are
 * stateless and thread-safe, and print every line with its quantity and unit price (or its tiers),
 * the discounts, the tax per rate and the totals, each amount with exactly the currency's decimals.
 */
public interface InvoiceRenderer {

  /** The media type of what {@link #render} returns, such as {@code application/pdf}. */
  String mediaType();

  /**
   * The document's bytes (UTF-8 for the text formats).
   *
   * @throws java.io.UncheckedIOException if the document library fails to write
   */
  byte[] render(InvoiceDocument document);

  /**
   * JSON with stable snake_case field names and amounts as strings with the currency's decimals
   * ({@code "29.00"}, {@code "3364"}, {@code "12.487"}); precise amounts as strings too.
   */
  static InvoiceRenderer json() {
    return JsonInvoiceRenderer.INSTANCE;
  }

  /** An HTML page; every string from the issuer or tenant is escaped (OWASP Java Encoder). */
  static InvoiceRenderer html() {
    return HtmlInvoiceRenderer.INSTANCE;
  }

  /**
   * A PDF (Apache PDFBox, standard Helvetica); characters the font cannot show are printed as
   * {@code ?}.
   */
  static InvoiceRenderer pdf() {
    return PdfInvoiceRenderer.INSTANCE;
  }
}
