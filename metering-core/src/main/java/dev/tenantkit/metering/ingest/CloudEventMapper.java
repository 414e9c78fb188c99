package dev.tenantkit.metering.ingest;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.internal.JsonPaths;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps one CloudEvent (JSON format, spec version 1.0) to a {@link UsageEvent} of the tenant, or to
 * the rejection that names the member at fault. See {@code docs/metering.md} for the mapping.
 * Immutable and thread-safe.
 */
final class CloudEventMapper {
  private static final String MALFORMED = RejectionReason.MALFORMED.code();
  private static final String INVALID_QUANTITY = RejectionReason.INVALID_QUANTITY.code();
  private static final Set<String> DEFAULT_DATA =
      Set.of("quantity", "dimensions", "userId", "properties");

  /** A JSON number, the only text a numeric string may hold. */
  private static final Pattern NUMBER =
      Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

  /**
   * The shape RFC 3339 gives a {@code date-time}: seconds are required (ISO 8601, and so {@link
   * DateTimeFormatter#ISO_OFFSET_DATE_TIME}, let them out), an offset is {@code Z} or {@code
   * +hh:mm}. Applied to the upper-cased text; ASCII digits only.
   */
  private static final Pattern RFC_3339 =
      Pattern.compile(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?"
              + "(?:Z|[+-][0-9]{2}:[0-9]{2})");

  private static final int MAX_NUMBER_TEXT = 64;
  private static final int MAX_ECHO = 64;

  /** A declared meter with its paths compiled. */
  private record Meter(
      MeterDefinition definition, JsonPointer value, Map<String, JsonPointer> dimensions) {}

  private final Map<String, Meter> meters = new HashMap<>();
  private final Set<String> ingestible;

  /**
   * @param ingestible the meters of the catalog that events may name
   */
  CloudEventMapper(MeterCatalog catalog, Set<String> ingestible) {
    this.ingestible = Set.copyOf(ingestible);
    for (MeterDefinition m : catalog.all()) {
      Map<String, JsonPointer> dims = new HashMap<>();
      m.dimensionPaths().forEach((d, p) -> dims.put(d, JsonPaths.compile(p)));
      JsonPointer value = m.valuePath() == null ? null : JsonPaths.compile(m.valuePath());
      meters.put(m.name(), new Meter(m, value, Map.copyOf(dims)));
    }
  }

  /**
   * An event ready to record, or the rejection of one.
   *
   * @param id the CloudEvents id, or null
   * @param event the event, or null if rejected
   * @param quantityField the member the quantity came from, for a rejection of the quantity
   * @param dimensionFields the member each dimension came from
   * @param rejection the rejection, or null
   */
  record Mapped(
      String id,
      UsageEvent event,
      String quantityField,
      Map<String, String> dimensionFields,
      EventResult rejection) {}

  /** Thrown inside the mapping to stop at the first fault. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final String field;

    Refused(String reason, String field, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
      this.field = field;
    }
  }

  Mapped map(JsonNode node, int index, TenantId tenant) {
    String id = node != null && node.path("id").isTextual() ? node.get("id").textValue() : null;
    try {
      return map(node, tenant);
    } catch (Refused r) {
      return new Mapped(
          id,
          null,
          null,
          Map.of(),
          EventResult.rejected(index, id, r.reason, r.field, r.getMessage()));
    }
  }

  private Mapped map(JsonNode node, TenantId tenant) throws Refused {
    if (node == null || !node.isObject()) {
      throw new Refused(MALFORMED, "event", "an event is a JSON object");
    }
    JsonNode specversion = node.get("specversion");
    if (specversion == null || specversion.isNull()) {
      throw new Refused(MALFORMED, "specversion", "specversion is required: \"1.0\"");
    }
    if (!"1.0".equals(specversion.textValue())) {
      throw new Refused(MALFORMED, "specversion", "specversion must be \"1.0\"");
    }
    requiredText(node, "id");
    String source = requiredText(node, "source");
    String type = requiredText(node, "type");
    Meter meter = meters.get(type);
    if (meter == null) {
      throw new Refused(
          RejectionReason.UNKNOWN_METER.code(), "type", "no meter named '" + echo(type) + "'");
    }
    if (!ingestible.contains(type)) {
      throw new Refused(
          UsageIngestor.METER_NOT_INGESTIBLE,
          "type",
          "meter '" + type + "' is recorded by the host itself and cannot be written over HTTP");
    }
    JsonNode subject = node.get("subject");
    if (subject != null
        && !subject.isNull()
        && !(subject.isTextual() && subject.textValue().equals(tenant.value()))) {
      throw new Refused(
          UsageIngestor.SUBJECT_MISMATCH,
          "subject",
          "subject must be the tenant of the credential, or be left out");
    }
    UsageEvent.Builder b =
        UsageEvent.builder(tenant, type)
            .idempotencyKey(IdempotencyKeys.of(source, id(node)))
            .source(source)
            .timestamp(time(node));
    checkDataContentType(node);
    if (node.has("data_base64")) {
      throw new Refused(
          MALFORMED, "data_base64", "binary data is not supported; send data as a JSON object");
    }
    JsonNode data = node.get("data");
    if (data == null || data.isNull()) {
      data = JsonNodeFactory.instance.objectNode();
    } else if (!data.isObject()) {
      throw new Refused(MALFORMED, "data", "data must be a JSON object");
    }
    Map<String, String> dimensionFields = new HashMap<>();
    String quantityField;
    if (meter.definition().readsPaths()) {
      quantityField = readPaths(meter, data, b, dimensionFields);
    } else {
      quantityField = "data.quantity";
      readDefault(meter.definition(), data, b, dimensionFields);
    }
    return new Mapped(id(node), b.build(), quantityField, Map.copyOf(dimensionFields), null);
  }

  private static String id(JsonNode node) {
    return node.get("id").textValue();
  }

  private static String requiredText(JsonNode node, String name) throws Refused {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new Refused(MALFORMED, name, name + " is required");
    }
    if (!v.isTextual() || v.textValue().isEmpty()) {
      throw new Refused(MALFORMED, name, name + " must be a non-empty string");
    }
    return v.textValue();
  }

  /** RFC 3339, which allows a lower-case {@code t} and {@code z}; absent means now. */
  private static Instant time(JsonNode node) throws Refused {
    JsonNode v = node.get("time");
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual() || v.textValue().length() > 64) {
      throw new Refused(MALFORMED, "time", "time must be an RFC 3339 timestamp");
    }
    String text = v.textValue().toUpperCase(Locale.ROOT);
    try {
      if (!RFC_3339.matcher(text).matches()) {
        throw new DateTimeParseException("not RFC 3339", text, 0);
      }
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new Refused(
          MALFORMED,
          "time",
          "time must be an RFC 3339 timestamp such as 2026-12-07T17:00:00Z, not '"
              + echo(v.textValue())
              + "'");
    }
  }

  private static void checkDataContentType(JsonNode node) throws Refused {
    JsonNode v = node.get("datacontenttype");
    if (v == null || v.isNull()) {
      return;
    }
    String type =
        v.isTextual() ? v.textValue().split(";", 2)[0].strip().toLowerCase(Locale.ROOT) : "";
    if (!type.equals("application/json")
        && !(type.startsWith("application/") && type.endsWith("+json"))) {
      throw new Refused(
          MALFORMED, "datacontenttype", "datacontenttype must be application/json, or left out");
    }
  }

  private static void readDefault(
      MeterDefinition meter, JsonNode data, UsageEvent.Builder b, Map<String, String> fields)
      throws Refused {
    for (Iterator<String> names = data.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!DEFAULT_DATA.contains(name)) {
        throw new Refused(
            MALFORMED,
            "data." + echo(name),
            "is not a member of data (quantity, dimensions, userId, properties); meter '"
                + meter.name()
                + "' names no JSON paths");
      }
    }
    JsonNode quantity = data.get("quantity");
    if (quantity != null && !quantity.isNull()) {
      b.quantity(quantity(quantity, "data.quantity"));
    }
    for (Map.Entry<String, String> d : strings(data, "dimensions").entrySet()) {
      String field = "data.dimensions." + echo(d.getKey());
      if (!meter.dimensions().contains(d.getKey())) {
        throw new Refused(
            RejectionReason.UNDECLARED_DIMENSION.code(),
            field,
            "meter '" + meter.name() + "' declares no dimension '" + echo(d.getKey()) + "'");
      }
      fields.put(d.getKey(), field);
      b.dimension(d.getKey(), d.getValue());
    }
    JsonNode user = data.get("userId");
    if (user != null && !user.isNull()) {
      if (!user.isTextual()) {
        throw new Refused(MALFORMED, "data.userId", "data.userId must be a string");
      }
      b.userId(user.textValue());
    }
    strings(data, "properties").forEach(b::property);
  }

  private static String readPaths(
      Meter meter, JsonNode data, UsageEvent.Builder b, Map<String, String> fields) throws Refused {
    String quantityField = "data.quantity";
    if (meter.value() != null) {
      quantityField = "data" + meter.definition().valuePath().substring(1);
      JsonNode v = data.at(meter.value());
      if (v.isMissingNode() || v.isNull()) {
        throw new Refused(
            INVALID_QUANTITY,
            quantityField,
            "meter '" + meter.definition().name() + "' reads its quantity from " + quantityField);
      }
      b.quantity(quantity(v, quantityField));
    }
    for (Map.Entry<String, JsonPointer> d : meter.dimensions().entrySet()) {
      String field = "data" + meter.definition().dimensionPaths().get(d.getKey()).substring(1);
      JsonNode v = data.at(d.getValue());
      if (v.isMissingNode() || v.isNull()) {
        continue;
      }
      if (!v.isValueNode()) {
        throw new Refused(MALFORMED, field, field + " must be a string, number or boolean");
      }
      fields.put(d.getKey(), field);
      b.dimension(d.getKey(), text(v));
    }
    return quantityField;
  }

  /**
   * A scalar as dimension text: decimals in plain notation ({@code 100}, not {@code 1E+2}) unless
   * the exponent is so large that plain notation would be huge (the meter then refuses the length).
   */
  private static String text(JsonNode v) {
    if (v.isBigDecimal()) {
      BigDecimal d = v.decimalValue();
      return Math.abs(d.scale()) <= MAX_NUMBER_TEXT ? d.toPlainString() : d.toString();
    }
    return v.asText();
  }

  /** The exact quantity: a JSON number or a string holding one; never through a double. */
  private static BigDecimal quantity(JsonNode v, String field) throws Refused {
    if (v.isNumber()) {
      if (v.isFloat() || v.isDouble()) {
        // Only a mapper without exact decimals gives these; the ingestor's never does.
        throw new IllegalStateException("quantities are read as BigDecimal");
      }
      return v.decimalValue();
    }
    if (v.isTextual()
        && v.textValue().length() <= MAX_NUMBER_TEXT
        && NUMBER.matcher(v.textValue()).matches()) {
      try {
        return new BigDecimal(v.textValue());
      } catch (NumberFormatException e) {
        // The text is a number, but its exponent does not fit the scale of a BigDecimal.
        throw new Refused(INVALID_QUANTITY, field, field + " has an exponent out of range");
      }
    }
    throw new Refused(INVALID_QUANTITY, field, field + " must be a number or a string holding one");
  }

  /** An object of string members, empty when absent. */
  private static Map<String, String> strings(JsonNode data, String name) throws Refused {
    JsonNode v = data.get(name);
    if (v == null || v.isNull()) {
      return Map.of();
    }
    String field = "data." + name;
    if (!v.isObject()) {
      throw new Refused(MALFORMED, field, field + " must be a JSON object of strings");
    }
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : v.properties()) {
      if (!e.getValue().isTextual()) {
        throw new Refused(MALFORMED, field + "." + echo(e.getKey()), field + " holds strings only");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /**
   * Caller's text quoted back, cut short so an answer stays small, with every character outside
   * printable ASCII written as a {@code \\uXXXX} escape: a log or terminal that prints the detail
   * must not receive the caller's control characters (ANSI escapes, line breaks) or lone
   * surrogates.
   */
  static String echo(String s) {
    String cut = s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO);
    StringBuilder out = new StringBuilder(cut.length() + 8);
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
      }
    }
    return cut.length() < s.length() ? out.append("...").toString() : out.toString();
  }
}
