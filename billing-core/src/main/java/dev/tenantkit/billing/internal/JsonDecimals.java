package dev.tenantkit.billing.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * Reads exact decimals from JSON: a string ({@code "0.10"}) or a number that the parser kept as a
 * {@link BigDecimal} or an integer. A number parsed as a {@code double} is refused, since it may
 * already have lost digits. Internal: not part of the API.
 */
public final class JsonDecimals {
  private JsonDecimals() {}

  /**
   * The decimal at {@code node}.
   *
   * @param node the value
   * @param path where the value is, for the error message
   * @throws InvalidInputException if the value is missing or not an exact decimal
   */
  public static BigDecimal read(JsonNode node, String path) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new InvalidInputException(path, "is required");
    }
    if (node.isTextual()) {
      try {
        return new BigDecimal(node.textValue().trim());
      } catch (NumberFormatException e) {
        throw new InvalidInputException(
            path, "is not a decimal number: '" + node.textValue() + "'");
      }
    }
    if (node.isBigDecimal() || node.isIntegralNumber()) {
      return node.decimalValue();
    }
    throw new InvalidInputException(
        path, "is a decimal number written as a string or read with USE_BIG_DECIMAL_FOR_FLOATS");
  }

  /** The decimal at {@code node}, or {@code fallback} when the node is absent or null. */
  public static BigDecimal read(JsonNode node, String path, BigDecimal fallback) {
    return node == null || node.isNull() || node.isMissingNode() ? fallback : read(node, path);
  }
}
