package dev.tenantkit.billing.invoice.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteItem;
import dev.tenantkit.billing.invoice.TaxLine;
import java.io.UncheckedIOException;

/** A credit note as JSON, built field by field like {@link JsonInvoiceRenderer}. */
final class JsonCreditNoteRenderer implements CreditNoteRenderer {
  static final JsonCreditNoteRenderer INSTANCE = new JsonCreditNoteRenderer();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonCreditNoteRenderer() {}

  @Override
  public String mediaType() {
    return "application/json";
  }

  @Override
  public byte[] render(CreditNote note) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("id", note.id());
    root.put("tenant", note.tenant().value());
    root.put("invoice_id", note.invoiceId());
    root.put("invoice_number", note.invoiceNumber().toString());
    root.put("currency", note.currency().getCurrencyCode());
    root.put("issue_date", note.issueDate().toString());
    root.put("reason", note.reason().wireName());
    root.put("description", note.description());
    root.put("method", note.method().wireName());
    ArrayNode items = root.putArray("items");
    for (CreditNoteItem i : note.items()) {
      ObjectNode n = items.addObject();
      n.put("line", i.lineIndex());
      n.put("charge_code", i.chargeCode());
      n.put("amount", Texts.amount(i.amount()));
      n.put("tax_rate", Texts.decimal(i.taxRate().percent()));
      n.put("tax_exempt", i.taxRate().exempt());
    }
    ArrayNode taxes = root.putArray("taxes");
    for (TaxLine t : note.taxLines()) {
      ObjectNode n = taxes.addObject();
      n.put("rate", Texts.decimal(t.rate().percent()));
      n.put("exempt", t.rate().exempt());
      n.put("base", Texts.price(t.base(), note.currency()));
      n.put("amount", Texts.amount(t.amount()));
    }
    root.put("subtotal", Texts.amount(note.subtotal()));
    root.put("tax_total", Texts.amount(note.taxTotal()));
    root.put("total", Texts.amount(note.total()));
    try {
      return MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
