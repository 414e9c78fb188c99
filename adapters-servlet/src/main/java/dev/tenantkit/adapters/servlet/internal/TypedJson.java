package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.tenantkit.tenancy.InvalidInputException;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict binding of a JSON body to a type for {@link dev.tenantkit.adapters.servlet.AdminRequest}:
 * unknown, duplicate and missing constructor members, wrong types and trailing content are refused
 * with an {@link InvalidInputException} that names the member.
 */
final class TypedJson {
  // Jackson 2.21 dropped "required" from the message; both forms are matched.
  private static final Pattern MISSING =
      Pattern.compile("Missing (?:required )?creator property '([^']+)'");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .withCoercionConfigDefaults(
              c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
          .build();

  private TypedJson() {}

  /**
   * Reads {@code body} into {@code type}.
   *
   * @throws InvalidInputException naming the member that is wrong, or {@code body}
   * @throws IllegalStateException if {@code type} cannot be bound at all (a programming error)
   */
  static <T> T read(byte[] body, Class<T> type) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw new InvalidInputException("body", "must be a JSON object");
      }
      return value;
    } catch (InvalidDefinitionException e) {
      throw new IllegalStateException("cannot bind JSON to " + type.getName(), e);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidInputException(path(e), "is not a known field");
    } catch (JsonMappingException e) {
      InvalidInputException notJson = JsonErrors.ifNotJson(e);
      if (notJson != null) {
        throw notJson;
      }
      Matcher missing = MISSING.matcher(e.getOriginalMessage());
      if (missing.find()) {
        // Jackson 2.21 puts the missing member at the end of the path; earlier versions did not.
        String parent = path(e);
        String name = missing.group(1);
        String field =
            parent.equals("body")
                ? name
                : parent.equals(name) || parent.endsWith("." + name) ? parent : parent + "." + name;
        throw new InvalidInputException(field, "is required");
      }
      String field = path(e);
      throw new InvalidInputException(
          field, field.equals("body") ? "must be a JSON object" : "has the wrong type");
    } catch (JsonProcessingException e) {
      throw JsonErrors.notJson(e);
    } catch (IOException e) {
      throw new InvalidInputException("body", "is not valid JSON");
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return b.length() == 0 ? "body" : b.toString();
  }
}
