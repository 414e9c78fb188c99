package dev.tenantkit.billing.invoice.render;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.AppliedDiscount;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.TaxLine;
import dev.tenantkit.billing.price.FeeStep;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.List;
import org.owasp.encoder.Encode;

/**
 * The invoice as a self-contained HTML page. Every text that is not a literal of this class goes
 * through {@link Encode#forHtml}, numbers included, so no tenant-supplied name, address or
 * description can open a tag.
 */
final class HtmlInvoiceRenderer implements InvoiceRenderer {
  static final HtmlInvoiceRenderer INSTANCE = new HtmlInvoiceRenderer();
  private static final String STYLE =
      "body{font-family:sans-serif;margin:2em;color:#222}"
          + "table{border-collapse:collapse;width:100%;margin-top:1em}"
          + "th,td{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}"
          + "td.n,th.n{text-align:right}.step{color:#666;font-size:90%;padding-left:2em}"
          + ".parties{display:flex;justify-content:space-between}";

  private HtmlInvoiceRenderer() {}

  @Override
  public String mediaType() {
    return "text/html; charset=utf-8";
  }

  @Override
  public byte[] render(InvoiceDocument document) {
    Invoice inv = document.invoice();
    Currency currency = inv.currency();
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(e(Texts.title(inv)))
        .append("</title><style>")
        .append(STYLE)
        .append("</style></head><body>\n<h1>")
        .append(e(Texts.title(inv)))
        .append("</h1>\n<div class=\"parties\"><div class=\"issuer\"><strong>")
        .append(e(document.issuer().name()))
        .append("</strong>");
    address(h, document.issuer().address(), document.issuer().taxId());
    h.append("</div><div class=\"bill-to\">Billed to<br><strong>")
        .append(e(document.billTo().name()))
        .append("</strong>");
    address(h, document.billTo().address(), document.billTo().taxId());
    if (!document.billTo().email().isEmpty()) {
      h.append("<br>").append(e(document.billTo().email()));
    }
    h.append("</div></div>\n<p>Status: ")
        .append(e(inv.status().wireName()))
        .append("<br>Period: ")
        .append(e(inv.period().start().toString()))
        .append(" to ")
        .append(e(inv.period().lastDay().toString()))
        .append("<br>Issued: ")
        .append(e(inv.issueDate().toString()))
        .append("<br>Due: ")
        .append(e(inv.dueDate().toString()))
        .append("</p>\n<table class=\"lines\"><thead><tr><th>Description</th>")
        .append("<th class=\"n\">Quantity</th><th class=\"n\">Unit price</th>")
        .append("<th class=\"n\">Tax</th><th class=\"n\">Amount</th></tr></thead><tbody>\n");
    for (InvoiceLine l : inv.lines()) {
      h.append("<tr><td>")
          .append(e(l.description()))
          .append("</td><td class=\"n\">")
          .append(e(Texts.decimal(l.quantity())))
          .append("</td><td class=\"n\">")
          .append(e(Texts.unitPrice(l, currency)))
          .append("</td><td class=\"n\">")
          .append(e(l.taxRate().label()))
          .append("</td><td class=\"n\">")
          .append(e(Texts.amount(l.amount())))
          .append("</td></tr>\n");
      if (l.unitPrice() == null) {
        for (FeeStep s : l.steps()) {
          h.append("<tr><td class=\"step\" colspan=\"5\">")
              .append(e(Texts.step(s, currency)))
              .append("</td></tr>\n");
        }
      }
    }
    h.append("</tbody></table>\n<table class=\"totals\"><tbody>\n");
    row(h, "Subtotal", inv.subtotal());
    for (AppliedDiscount d : inv.discounts()) {
      row(h, "Discount " + d.description(), d.amount().negate());
    }
    for (TaxLine t : inv.taxLines()) {
      row(
          h,
          t.rate().exempt()
              ? "Tax (exempt)"
              : "Tax " + t.rate().label() + " on " + Texts.price(t.base(), currency),
          t.amount());
    }
    row(h, "Total", inv.total());
    if (!inv.creditNotesApplied().isZero()) {
      row(h, "Credit notes applied", inv.creditNotesApplied().negate());
    }
    if (!inv.prepaidCreditsApplied().isZero()) {
      row(h, "Prepaid credits applied", inv.prepaidCreditsApplied().negate());
    }
    row(h, "Amount due", inv.amountDue());
    h.append("</tbody></table>\n</body></html>\n");
    return h.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void address(StringBuilder h, List<String> address, String taxId) {
    for (String line : address) {
      h.append("<br>").append(e(line));
    }
    if (!taxId.isEmpty()) {
      h.append("<br>Tax id: ").append(e(taxId));
    }
  }

  private static void row(StringBuilder h, String label, Money amount) {
    h.append("<tr><th>")
        .append(e(label))
        .append("</th><td class=\"n\">")
        .append(e(Texts.money(amount)))
        .append("</td></tr>\n");
  }

  private static String e(String text) {
    return Encode.forHtml(text);
  }
}
