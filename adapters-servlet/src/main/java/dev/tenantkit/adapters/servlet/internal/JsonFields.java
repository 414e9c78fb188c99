package dev.tenantkit.adapters.servlet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.tenancy.InvalidInputException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of a JSON object: unknown members, wrong types and duplicate members are refused
 * with an {@link InvalidInputException} that names the member (nested ones as {@code
 * settings.webhookUrl}). Jackson's lenient coercions (a number where a string is wanted) are never
 * applied, because every member is read from the tree and checked by hand.
 */
final class JsonFields {
  /** Parses strictly: duplicate members and trailing content are errors. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final JsonNode node;
  private final String path;

  private JsonFields(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * Parses {@code body} as a JSON object with only the {@code allowed} members.
   *
   * @throws InvalidInputException with field {@code body} if it is not a JSON object, or naming the
   *     first unknown member
   */
  static JsonFields parse(byte[] body, Set<String> allowed) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw JsonErrors.notJson(e);
    } catch (IOException e) {
      throw new InvalidInputException("body", "is not valid JSON");
    }
    return of(node, "", allowed);
  }

  /**
   * Reads the object member {@code name} with only the {@code allowed} members.
   *
   * @throws InvalidInputException if it is not an object or has an unknown member
   */
  JsonFields object(String name, Set<String> allowed) {
    return of(node.get(name), field(name), allowed);
  }

  /**
   * Reads {@code node}, found at {@code path}, as an object with only the {@code allowed} members.
   *
   * @throws InvalidInputException if it is not an object or has an unknown member
   */
  static JsonFields of(JsonNode node, String path, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(path.isEmpty() ? "body" : path, "must be a JSON object");
    }
    JsonFields fields = new JsonFields(node, path);
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidInputException(fields.field(name), "is not a known field");
      }
    }
    return fields;
  }

  /** The member as a tree, or {@code null} when it is absent. */
  JsonNode node(String name) {
    return node.get(name);
  }

  /** Whether the member is present, even as {@code null}. */
  boolean has(String name) {
    return node.has(name);
  }

  /** Whether the member is present and not {@code null}. */
  boolean hasValue(String name) {
    return node.hasNonNull(name);
  }

  /**
   * @throws InvalidInputException if the member is missing, {@code null} or not a string
   */
  String requiredText(String name) {
    if (!hasValue(name)) {
      throw new InvalidInputException(field(name), "is required");
    }
    return text(name);
  }

  /**
   * The string member, or {@code null} when it is absent or {@code null}.
   *
   * @throws InvalidInputException if it is of another type
   */
  String text(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidInputException(field(name), "must be a string");
    }
    return v.textValue();
  }

  /**
   * The integer member, or {@code null} when it is absent or {@code null}.
   *
   * @throws InvalidInputException if it is not an integer that fits a {@code long}
   */
  Long integer(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidInputException(field(name), "must be an integer");
    }
    return v.longValue();
  }

  /**
   * The boolean member, {@code false} when it is absent or {@code null}.
   *
   * @throws InvalidInputException if it is of another type
   */
  boolean bool(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new InvalidInputException(field(name), "must be true or false");
    }
    return v.booleanValue();
  }

  /**
   * The array-of-strings member, or {@code null} when it is absent or {@code null}.
   *
   * @throws InvalidInputException if it is not an array of strings
   */
  List<String> texts(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new InvalidInputException(field(name), "must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new InvalidInputException(field(name), "must be an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /**
   * The member as compact JSON when it is an object, or {@code null} when it is absent or {@code
   * null}.
   *
   * @throws InvalidInputException if it is of another type
   */
  String objectJson(String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new InvalidInputException(field(name), "must be a JSON object");
    }
    return v.toString();
  }

  /** The full name of member {@code name}, for error messages. */
  String field(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
