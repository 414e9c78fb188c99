package dev.tenantkit.billing.price;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.billing.internal.JsonDecimals;
import dev.tenantkit.tenancy.InvalidInputException;

/**
 * Reads a {@link PriceModel} from its JSON (or YAML) form in a catalog: an object with a {@code
 * type} and the model's fields, such as {@code {"type": "standard", "unit_price": "0.50"}}. The
 * schema of every type is in {@code docs/billing.md}.
 */
public final class PriceModels {
  private PriceModels() {}

  /**
   * Reads one model.
   *
   * @param node the model's object
   * @param path where the object is in the document, for error messages (such as {@code
   *     plans.starter.charges[1].price})
   * @throws InvalidInputException naming the path of the first problem
   */
  public static PriceModel read(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(path, "is an object with a type");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new InvalidInputException(path + ".type", "is required");
    }
    return switch (type.textValue()) {
      case "standard" ->
          new StandardPrice(JsonDecimals.read(node.get("unit_price"), path + ".unit_price"));
      case "flat" -> new FlatPrice(JsonDecimals.read(node.get("amount"), path + ".amount"));
      default ->
          throw new InvalidInputException(
              path + ".type", "unknown price model '" + type.textValue() + "'");
    };
  }
}
