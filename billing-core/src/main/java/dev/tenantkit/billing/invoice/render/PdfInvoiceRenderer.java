package dev.tenantkit.billing.invoice.render;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.AppliedDiscount;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.TaxLine;
import dev.tenantkit.billing.price.FeeStep;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Currency;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The invoice as an A4 PDF written with Apache PDFBox: the issuer and the billed tenant, the dates,
 * every line with its quantity, unit price (or its steps) and amount, then the totals. Long texts
 * are cut to their column; pages are added as the lines need.
 *
 * <p>The font is Courier, whose every glyph is 0.6 em wide: at 10 points a character is exactly 6
 * points, so columns and right alignment are whole character counts and the layout needs no
 * floating-point arithmetic of ours (billing-core has none).
 */
final class PdfInvoiceRenderer implements InvoiceRenderer {
  static final PdfInvoiceRenderer INSTANCE = new PdfInvoiceRenderer();
  private static final int SIZE = 10;
  private static final int CHAR = 6;
  private static final int LEADING = 13;
  private static final int MARGIN = 40;
  private static final int PAGE_TOP = 842 - MARGIN;
  private static final int COLUMNS = 85;
  private static final int RIGHT_HALF = 45;
  // The right ends, in characters, of the quantity, unit price, tax and amount columns.
  private static final int[] RIGHT = {50, 64, 71, COLUMNS};
  private static final int DESCRIPTION = 37;
  private static final int TOTAL_LABEL = 40;

  private PdfInvoiceRenderer() {}

  @Override
  public String mediaType() {
    return "application/pdf";
  }

  @Override
  public byte[] render(InvoiceDocument document) {
    try (PDDocument pdf = new PDDocument()) {
      pdf.getDocumentInformation().setTitle(Texts.title(document.invoice()));
      try (Writer w = new Writer(pdf)) {
        write(w, document);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      pdf.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Writer w, InvoiceDocument document) throws IOException {
    Invoice inv = document.invoice();
    Currency currency = inv.currency();
    w.title(Texts.title(inv));
    int top = w.y;
    w.at(w.bold, 0, document.issuer().name(), RIGHT_HALF - 1);
    party(w, 0, document.issuer().address(), document.issuer().taxId(), "");
    int leftBottom = w.y;
    w.y = top;
    w.at(w.regular, RIGHT_HALF, "Billed to", COLUMNS - RIGHT_HALF);
    w.down();
    w.at(w.bold, RIGHT_HALF, document.billTo().name(), COLUMNS - RIGHT_HALF);
    party(
        w,
        RIGHT_HALF,
        document.billTo().address(),
        document.billTo().taxId(),
        document.billTo().email());
    w.y = Math.min(w.y, leftBottom);
    w.down();
    w.pair(
        "Status: " + inv.status().wireName(),
        "Period: " + inv.period().start() + " to " + inv.period().lastDay());
    w.pair("Issued: " + inv.issueDate(), "Due: " + inv.dueDate());
    w.down();

    w.row(w.bold, "Description", "Quantity", "Unit price", "Tax", "Amount");
    for (InvoiceLine l : inv.lines()) {
      w.row(
          w.regular,
          l.description(),
          Texts.decimal(l.quantity()),
          Texts.unitPrice(l, currency),
          l.taxRate().label(),
          Texts.amount(l.amount()));
      if (l.unitPrice() == null) {
        for (FeeStep s : l.steps()) {
          w.at(w.regular, 2, Texts.step(s, currency), COLUMNS - 2);
          w.down();
        }
      }
    }
    w.down();
    w.total("Subtotal", inv.subtotal());
    for (AppliedDiscount d : inv.discounts()) {
      w.total("Discount " + d.description(), d.amount().negate());
    }
    for (TaxLine t : inv.taxLines()) {
      w.total(
          t.rate().exempt()
              ? "Tax (exempt)"
              : "Tax " + t.rate().label() + " on " + Texts.price(t.base(), currency),
          t.amount());
    }
    w.total("Total", inv.total());
    if (!inv.creditNotesApplied().isZero()) {
      w.total("Credit notes applied", inv.creditNotesApplied().negate());
    }
    if (!inv.prepaidCreditsApplied().isZero()) {
      w.total("Prepaid credits applied", inv.prepaidCreditsApplied().negate());
    }
    w.total("Amount due", inv.amountDue());
  }

  private static void party(Writer w, int column, List<String> address, String taxId, String email)
      throws IOException {
    int width = column == 0 ? RIGHT_HALF - 1 : COLUMNS - column;
    w.down();
    for (String line : address) {
      w.at(w.regular, column, line, width);
      w.down();
    }
    if (!taxId.isEmpty()) {
      w.at(w.regular, column, "Tax id: " + taxId, width);
      w.down();
    }
    if (!email.isEmpty()) {
      w.at(w.regular, column, email, width);
      w.down();
    }
  }

  /** A cursor down the pages of one document, in character columns. Not thread-safe. */
  private static final class Writer implements AutoCloseable {
    final PDDocument pdf;
    final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.COURIER);
    final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);
    PDPageContentStream content;
    int y;

    Writer(PDDocument pdf) throws IOException {
      this.pdf = pdf;
      newPage();
    }

    void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      pdf.addPage(page);
      content = new PDPageContentStream(pdf, page);
      y = PAGE_TOP;
    }

    void down() throws IOException {
      y -= LEADING;
      if (y < MARGIN) {
        newPage();
      }
    }

    void title(String text) throws IOException {
      show(bold, 16, MARGIN, text);
      down();
      down();
    }

    /** The text from {@code column}, cut to {@code width} characters. */
    void at(PDType1Font font, int column, String raw, int width) throws IOException {
      show(font, SIZE, MARGIN + column * CHAR, fit(font, raw, width));
    }

    /** The text ending at {@code endColumn}. */
    void rightAt(PDType1Font font, int endColumn, String raw) throws IOException {
      String s = printable(font, raw);
      show(font, SIZE, MARGIN + (endColumn - s.length()) * CHAR, s);
    }

    void pair(String left, String right) throws IOException {
      at(regular, 0, left, RIGHT_HALF - 1);
      at(regular, RIGHT_HALF, right, COLUMNS - RIGHT_HALF);
      down();
    }

    void row(PDType1Font font, String description, String... cells) throws IOException {
      at(font, 0, description, DESCRIPTION);
      for (int i = 0; i < cells.length; i++) {
        rightAt(font, RIGHT[i], cells[i]);
      }
      down();
    }

    void total(String label, Money amount) throws IOException {
      at(bold, 30, label, TOTAL_LABEL);
      rightAt(bold, COLUMNS, Texts.money(amount));
      down();
    }

    private void show(PDType1Font font, int size, int x, String text) throws IOException {
      content.beginText();
      content.setFont(font, size);
      content.newLineAtOffset(x, y);
      content.showText(text);
      content.endText();
    }

    static String fit(PDType1Font font, String raw, int width) {
      String s = printable(font, raw);
      return s.length() <= width ? s : s.substring(0, Math.max(0, width - 3)) + "...";
    }

    /**
     * The text with every character the font cannot encode (outside WinAnsi, control characters)
     * replaced by {@code ?}, since PDFBox refuses to show it. One {@code char} per character, so
     * lengths count columns.
     */
    static String printable(PDType1Font font, String raw) {
      StringBuilder b = new StringBuilder(raw.length());
      raw.codePoints()
          .forEach(
              cp -> {
                String c = new String(Character.toChars(cp));
                b.append(Character.isISOControl(cp) || !encodable(font, c) ? "?" : c);
              });
      return b.toString();
    }

    static boolean encodable(PDType1Font font, String c) {
      try {
        font.encode(c);
        return true;
      } catch (IllegalArgumentException | IOException e) {
        return false;
      }
    }

    @Override
    public void close() throws IOException {
      content.close();
    }
  }
}
