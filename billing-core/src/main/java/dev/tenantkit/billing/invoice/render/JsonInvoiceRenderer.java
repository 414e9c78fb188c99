package dev.tenantkit.billing.invoice.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.AppliedDiscount;
import dev.tenantkit.billing.invoice.BillTo;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.invoice.TaxLine;
import dev.tenantkit.billing.price.FeeStep;
import java.io.UncheckedIOException;
import java.util.Currency;
import java.util.List;

/**
 * The invoice as JSON. The tree is built field by field (not by reflection), so renaming a Java
 * component never renames a JSON field.
 */
final class JsonInvoiceRenderer implements InvoiceRenderer {
  static final JsonInvoiceRenderer INSTANCE = new JsonInvoiceRenderer();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonInvoiceRenderer() {}

  @Override
  public String mediaType() {
    return "application/json";
  }

  @Override
  public byte[] render(InvoiceDocument document) {
    try {
      return MAPPER.writeValueAsBytes(tree(document));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode tree(InvoiceDocument document) {
    Invoice inv = document.invoice();
    Currency currency = inv.currency();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", inv.id());
    root.put("number", inv.number() == null ? null : inv.number().toString());
    root.put("tenant", inv.tenant().value());
    root.put("status", inv.status().wireName());
    root.put("currency", currency.getCurrencyCode());
    ObjectNode period = root.putObject("period");
    period.put("start", inv.period().start().toString());
    period.put("end", inv.period().end().toString());
    root.put("issue_date", inv.issueDate().toString());
    root.put("due_date", inv.dueDate().toString());
    issuer(root.putObject("issuer"), document.issuer());
    billTo(root.putObject("bill_to"), document.billTo());
    ArrayNode lines = root.putArray("lines");
    for (InvoiceLine l : inv.lines()) {
      ObjectNode n = lines.addObject();
      n.put("charge_code", l.chargeCode());
      n.put("description", l.description());
      n.put("quantity", Texts.decimal(l.quantity()));
      n.put("unit_price", l.unitPrice() == null ? null : Texts.price(l.unitPrice(), currency));
      ArrayNode steps = n.putArray("steps");
      for (FeeStep s : l.steps()) {
        ObjectNode sn = steps.addObject();
        sn.put("label", s.label());
        sn.put("units", Texts.decimal(s.units()));
        sn.put("unit_price", s.unitPrice() == null ? null : Texts.price(s.unitPrice(), currency));
        sn.put("flat_fee", Texts.price(s.flatFee(), currency));
        sn.put("amount", Texts.price(s.amount(), currency));
      }
      n.put("charge_discount", Texts.price(l.chargeDiscount(), currency));
      n.put("minimum_true_up", Texts.price(l.minimumTrueUp(), currency));
      n.put("precise_amount", Texts.price(l.preciseAmount(), currency));
      n.put("amount", Texts.amount(l.amount()));
      n.put("tax_rate", Texts.decimal(l.taxRate().percent()));
      n.put("tax_exempt", l.taxRate().exempt());
    }
    ArrayNode discounts = root.putArray("discounts");
    for (AppliedDiscount d : inv.discounts()) {
      ObjectNode n = discounts.addObject();
      n.put("coupon_code", d.couponCode());
      n.put("description", d.description());
      n.put("amount", Texts.amount(d.amount()));
    }
    ArrayNode taxes = root.putArray("taxes");
    for (TaxLine t : inv.taxLines()) {
      ObjectNode n = taxes.addObject();
      n.put("rate", Texts.decimal(t.rate().percent()));
      n.put("exempt", t.rate().exempt());
      n.put("base", Texts.price(t.base(), currency));
      n.put("amount", Texts.amount(t.amount()));
    }
    amount(root, "subtotal", inv.subtotal());
    amount(root, "discount_total", inv.discountTotal());
    amount(root, "tax_total", inv.taxTotal());
    amount(root, "total", inv.total());
    amount(root, "credit_notes_applied", inv.creditNotesApplied());
    amount(root, "prepaid_credits_applied", inv.prepaidCreditsApplied());
    amount(root, "amount_due", inv.amountDue());
    return root;
  }

  private static void amount(ObjectNode node, String field, Money m) {
    node.put(field, Texts.amount(m));
  }

  private static void issuer(ObjectNode n, Issuer issuer) {
    n.put("name", issuer.name());
    lines(n, issuer.address());
    n.put("tax_id", issuer.taxId());
  }

  private static void billTo(ObjectNode n, BillTo billTo) {
    n.put("name", billTo.name());
    lines(n, billTo.address());
    n.put("tax_id", billTo.taxId());
    n.put("email", billTo.email());
  }

  private static void lines(ObjectNode n, List<String> address) {
    ArrayNode a = n.putArray("address");
    address.forEach(a::add);
  }
}
