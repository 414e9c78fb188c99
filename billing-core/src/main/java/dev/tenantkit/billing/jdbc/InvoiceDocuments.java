package dev.tenantkit.billing.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.AppliedDiscount;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.TaxLine;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.price.FeeStep;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The stored form of an invoice, {@code schema_version} 1: a JSON object whose field names are
 * spelled here (snake_case, as in docs/billing.md, "Storage"), never derived from the Java records,
 * so a renamed class or record component leaves stored invoices readable. Decimals are strings of
 * their plain digits (read back with their value and scale), dates ISO-8601 ({@code 2026-01-31}),
 * the currency its ISO 4217 code and every money amount a decimal in that currency. An optional
 * value is left out when absent; a field this version does not have is refused. Reading builds the
 * invoice through its constructors, so the stored amounts are checked again (they must add up).
 */
final class InvoiceDocuments {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private static final Set<String> INVOICE =
      Set.of(
          "id",
          "tenant",
          "number",
          "currency",
          "period",
          "status",
          "issue_date",
          "due_date",
          "lines",
          "discounts",
          "tax_lines",
          "credit_notes_applied",
          "prepaid_credits_applied",
          "subtotal",
          "discount_total",
          "tax_total",
          "total",
          "amount_due");
  private static final Set<String> PERIOD = Set.of("start", "end");
  private static final Set<String> LINE =
      Set.of(
          "charge_code",
          "description",
          "quantity",
          "unit_price",
          "steps",
          "charge_discount",
          "minimum_true_up",
          "precise_amount",
          "amount",
          "tax_rate");
  private static final Set<String> STEP =
      Set.of("label", "units", "unit_price", "flat_fee", "amount");
  private static final Set<String> RATE = Set.of("percent", "exempt");
  private static final Set<String> DISCOUNT = Set.of("coupon_code", "description", "amount");
  private static final Set<String> TAX = Set.of("rate", "base", "amount");

  private InvoiceDocuments() {}

  /** The invoice's stored text. */
  static String write(Invoice invoice) {
    try {
      return JSON.writeValueAsString(tree(invoice));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write invoice " + invoice.id(), e);
    }
  }

  static ObjectNode tree(Invoice i) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", i.id());
    n.put("tenant", i.tenant().value());
    if (i.number() != null) {
      n.put("number", i.number().toString());
    }
    n.put("currency", i.currency().getCurrencyCode());
    ObjectNode period = n.putObject("period");
    period.put("start", i.period().start().toString());
    period.put("end", i.period().end().toString());
    n.put("status", i.status().wireName());
    n.put("issue_date", i.issueDate().toString());
    n.put("due_date", i.dueDate().toString());
    ArrayNode lines = n.putArray("lines");
    for (InvoiceLine l : i.lines()) {
      ObjectNode line = lines.addObject();
      line.put("charge_code", l.chargeCode());
      line.put("description", l.description());
      decimal(line, "quantity", l.quantity());
      decimal(line, "unit_price", l.unitPrice());
      ArrayNode steps = line.putArray("steps");
      for (FeeStep s : l.steps()) {
        ObjectNode step = steps.addObject();
        step.put("label", s.label());
        decimal(step, "units", s.units());
        decimal(step, "unit_price", s.unitPrice());
        decimal(step, "flat_fee", s.flatFee());
        decimal(step, "amount", s.amount());
      }
      decimal(line, "charge_discount", l.chargeDiscount());
      decimal(line, "minimum_true_up", l.minimumTrueUp());
      decimal(line, "precise_amount", l.preciseAmount());
      decimal(line, "amount", l.amount().amount());
      rate(line.putObject("tax_rate"), l.taxRate());
    }
    ArrayNode discounts = n.putArray("discounts");
    for (AppliedDiscount d : i.discounts()) {
      ObjectNode discount = discounts.addObject();
      discount.put("coupon_code", d.couponCode());
      discount.put("description", d.description());
      decimal(discount, "amount", d.amount().amount());
    }
    ArrayNode taxes = n.putArray("tax_lines");
    for (TaxLine t : i.taxLines()) {
      ObjectNode tax = taxes.addObject();
      rate(tax.putObject("rate"), t.rate());
      decimal(tax, "base", t.base());
      decimal(tax, "amount", t.amount().amount());
    }
    decimal(n, "credit_notes_applied", i.creditNotesApplied().amount());
    decimal(n, "prepaid_credits_applied", i.prepaidCreditsApplied().amount());
    decimal(n, "subtotal", i.subtotal().amount());
    decimal(n, "discount_total", i.discountTotal().amount());
    decimal(n, "tax_total", i.taxTotal().amount());
    decimal(n, "total", i.total().amount());
    decimal(n, "amount_due", i.amountDue().amount());
    return n;
  }

  private static void rate(ObjectNode node, TaxRate rate) {
    decimal(node, "percent", rate.percent());
    node.put("exempt", rate.exempt());
  }

  private static void decimal(ObjectNode node, String field, BigDecimal value) {
    if (value != null) {
      node.put(field, value.toPlainString());
    }
  }

  /**
   * Reads a stored invoice of {@code schemaVersion}.
   *
   * @throws StoredDocumentException if this build does not read that version, or the text is not an
   *     invoice of its form (a field missing, unknown or of the wrong kind, or amounts that do not
   *     add up)
   */
  static Invoice read(int schemaVersion, String text) {
    StoredDocumentException.requireSupported("a stored invoice", schemaVersion);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoredDocumentException(
          "a stored invoice", schemaVersion, "not well-formed JSON", e);
    }
    String what = "stored invoice " + root.path("id").asText("(no id)");
    try {
      return invoice(root);
    } catch (RuntimeException e) {
      // A rule of the invoice's own constructors, or a field of the wrong kind.
      throw new StoredDocumentException(
          what, schemaVersion, "not an invoice of its form: " + e.getMessage(), e);
    }
  }

  private static Invoice invoice(JsonNode n) {
    only(n, "", INVOICE);
    Currency currency = Money.currency(text(n, "currency"));
    JsonNode period = object(n, "period");
    only(period, "period", PERIOD);
    List<InvoiceLine> lines = new ArrayList<>();
    for (JsonNode l : array(n, "lines")) {
      lines.add(line(l, currency));
    }
    List<AppliedDiscount> discounts = new ArrayList<>();
    for (JsonNode d : array(n, "discounts")) {
      only(d, "discounts[]", DISCOUNT);
      discounts.add(
          new AppliedDiscount(
              text(d, "coupon_code"), text(d, "description"), money(d, "amount", currency)));
    }
    List<TaxLine> taxes = new ArrayList<>();
    for (JsonNode t : array(n, "tax_lines")) {
      only(t, "tax_lines[]", TAX);
      taxes.add(
          new TaxLine(rate(object(t, "rate")), decimal(t, "base"), money(t, "amount", currency)));
    }
    String number = optionalText(n, "number");
    return new Invoice(
        text(n, "id"),
        TenantId.of(text(n, "tenant")),
        number == null ? null : InvoiceNumber.parse(number),
        currency,
        new InvoicePeriod(date(period, "start"), date(period, "end")),
        status(text(n, "status")),
        date(n, "issue_date"),
        date(n, "due_date"),
        lines,
        discounts,
        taxes,
        money(n, "credit_notes_applied", currency),
        money(n, "prepaid_credits_applied", currency),
        money(n, "subtotal", currency),
        money(n, "discount_total", currency),
        money(n, "tax_total", currency),
        money(n, "total", currency),
        money(n, "amount_due", currency));
  }

  private static InvoiceLine line(JsonNode l, Currency currency) {
    only(l, "lines[]", LINE);
    List<FeeStep> steps = new ArrayList<>();
    for (JsonNode s : array(l, "steps")) {
      only(s, "steps[]", STEP);
      steps.add(
          new FeeStep(
              text(s, "label"),
              decimal(s, "units"),
              optionalDecimal(s, "unit_price"),
              decimal(s, "flat_fee"),
              decimal(s, "amount")));
    }
    return new InvoiceLine(
        text(l, "charge_code"),
        text(l, "description"),
        decimal(l, "quantity"),
        optionalDecimal(l, "unit_price"),
        steps,
        decimal(l, "charge_discount"),
        decimal(l, "minimum_true_up"),
        decimal(l, "precise_amount"),
        money(l, "amount", currency),
        rate(object(l, "tax_rate")));
  }

  private static TaxRate rate(JsonNode node) {
    only(node, "tax_rate", RATE);
    JsonNode exempt = node.get("exempt");
    if (exempt == null || !exempt.isBoolean()) {
      throw new IllegalArgumentException("tax_rate.exempt is true or false");
    }
    return new TaxRate(decimal(node, "percent"), exempt.booleanValue());
  }

  private static InvoiceStatus status(String wire) {
    for (InvoiceStatus s : InvoiceStatus.values()) {
      if (s.wireName().equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status '" + wire + "'");
  }

  private static void only(JsonNode node, String path, Set<String> fields) {
    if (!node.isObject()) {
      throw new IllegalArgumentException((path.isEmpty() ? "the invoice" : path) + " is an object");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!fields.contains(f)) {
        throw new IllegalArgumentException(
            (path.isEmpty() ? "" : path + ".") + f + " is not a field of this schema version");
      }
    }
  }

  private static JsonNode object(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isObject()) {
      throw new IllegalArgumentException(field + " is a required object");
    }
    return v;
  }

  private static List<JsonNode> array(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || !v.isArray()) {
      throw new IllegalArgumentException(field + " is a required array");
    }
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  private static String text(JsonNode node, String field) {
    String v = optionalText(node, field);
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static String optionalText(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new IllegalArgumentException(field + " is a string");
    }
    return v.textValue();
  }

  private static BigDecimal decimal(JsonNode node, String field) {
    BigDecimal v = optionalDecimal(node, field);
    if (v == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return v;
  }

  private static BigDecimal optionalDecimal(JsonNode node, String field) {
    String v = optionalText(node, field);
    if (v == null) {
      return null;
    }
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " is a decimal as a string, not '" + v + "'", e);
    }
  }

  private static Money money(JsonNode node, String field, Currency currency) {
    return Money.of(decimal(node, field), currency);
  }

  private static LocalDate date(JsonNode node, String field) {
    String v = text(node, field);
    try {
      return LocalDate.parse(v);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          field + " is a date such as 2026-01-31, not '" + v + "'", e);
    }
  }
}
