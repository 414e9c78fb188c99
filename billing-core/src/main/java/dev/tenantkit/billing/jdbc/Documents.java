package dev.tenantkit.billing.jdbc;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The JSON documents of the subscriptions, credit notes and billing runs: each value's record
 * components, as Jackson maps records (fields only, through the canonical constructor, which
 * re-checks every rule on read), with a format version {@code "v": 1}. Decimals are written as they
 * are and read back as {@link java.math.BigDecimal} with their scale; instants and dates as
 * ISO-8601 text; currencies by code. A document of another version is refused rather than guessed
 * at. Plan versions and invoices are not stored this way but in forms whose field names are fixed
 * in code ({@link dev.tenantkit.billing.plan.PlanPricesJson}, {@link InvoiceDocuments}).
 */
final class Documents {
  static final int VERSION = 1;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .visibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
          .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
          .build();

  private Documents() {}

  static String write(Object value) {
    ObjectNode node = JSON.createObjectNode();
    node.put("v", VERSION);
    node.setAll((ObjectNode) JSON.valueToTree(value));
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(String text, Class<T> type) {
    try {
      JsonNode node = JSON.readTree(text);
      if (!(node instanceof ObjectNode object) || object.path("v").asInt() != VERSION) {
        throw new IllegalStateException(
            "a stored " + type.getSimpleName() + " document is not of format version " + VERSION);
      }
      object.remove("v");
      return JSON.treeToValue(object, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot read a stored " + type.getSimpleName(), e);
    }
  }
}
