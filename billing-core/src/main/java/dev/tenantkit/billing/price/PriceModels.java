package dev.tenantkit.billing.price;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.internal.JsonDecimals;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a {@link PriceModel} from its JSON (or YAML) form in a catalog, and writes it back in that
 * form: an object with a {@code type} and the model's snake_case fields, such as {@code {"type":
 * "standard", "unit_price": "0.50"}}. Decimals are strings or exact JSON numbers ({@link
 * JsonDecimals}); tiers are arrays. The schema of every type is in {@code docs/billing.md}. {@code
 * read(write(m))} equals {@code m} for every model of this package (the stored plan versions rely
 * on it). Stateless and thread-safe.
 */
public final class PriceModels {
  private PriceModels() {}

  private static final Map<String, Set<String>> FIELDS =
      Map.of(
          "standard", Set.of("unit_price"),
          "flat", Set.of("amount"),
          "graduated", Set.of("tiers"),
          "volume", Set.of("tiers"),
          "package", Set.of("package_size", "amount", "free_units", "round_down"),
          "percentage",
              Set.of(
                  "rate",
                  "fixed_fee",
                  "free_transactions",
                  "free_amount",
                  "min_per_transaction",
                  "max_per_transaction"),
          "graduated_percentage", Set.of("tiers"),
          "dynamic", Set.of("multiplier"),
          "capacity", Set.of("tiers"));

  private static final Set<String> TIER_FIELDS =
      Set.of("from", "up_to", "unit_price", "flat_fee", "block_size", "block_price");
  private static final Set<String> RATE_TIER_FIELDS = Set.of("from", "up_to", "rate", "flat_fee");
  private static final Set<String> CAPACITY_TIER_FIELDS = Set.of("up_to", "price");

  /**
   * Reads one model.
   *
   * @param node the model's object
   * @param path where the object is in the document, for error messages (such as {@code
   *     plans.starter.charges[1].price})
   * @throws InvalidInputException naming the path of the first problem (such as {@code
   *     plans.pro.charges[2].price.tiers[1].up_to})
   */
  public static PriceModel read(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new InvalidInputException(path, "is an object with a type");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual()) {
      throw new InvalidInputException(path + ".type", "is required");
    }
    Set<String> fields = FIELDS.get(type.textValue());
    if (fields == null) {
      throw new InvalidInputException(
          path + ".type",
          "unknown price model '" + type.textValue() + "'; one of " + String.join(", ", types()));
    }
    onlyFields(node, path, fields, true);
    return switch (type.textValue()) {
      case "standard" -> at(path, () -> new StandardPrice(decimal(node, path, "unit_price")));
      case "flat" -> at(path, () -> new FlatPrice(decimal(node, path, "amount")));
      case "graduated" -> at(path, () -> new GraduatedPrice(tiers(node, path)));
      case "volume" -> at(path, () -> new VolumePrice(tiers(node, path)));
      case "package" -> readPackage(node, path);
      case "percentage" -> readPercentage(node, path);
      case "graduated_percentage" ->
          at(path, () -> new GraduatedPercentagePrice(rateTiers(node, path)));
      case "dynamic" ->
          at(path, () -> new DynamicPrice(optional(node, path, "multiplier", BigDecimal.ONE)));
      case "capacity" -> at(path, () -> new CapacityPrice(capacityTiers(node, path)));
      default -> throw new IllegalStateException("unreachable: " + type.textValue());
    };
  }

  /**
   * Writes one model in the form {@link #read} accepts: every field spelled out (defaults included,
   * absent optional fields left out), decimals as strings of their plain digits, so that reading it
   * back gives an equal model.
   *
   * @param model a model of this package
   * @return a new JSON object the caller may change
   * @throws IllegalArgumentException if the model is not one of this package's (a model defined
   *     elsewhere has no catalog form)
   */
  public static ObjectNode write(PriceModel model) {
    return PriceModelWriter.write(Objects.requireNonNull(model, "model"));
  }

  private static List<String> types() {
    return FIELDS.keySet().stream().sorted().toList();
  }

  private static PriceModel readPackage(JsonNode node, String path) {
    BigDecimal size = decimal(node, path, "package_size");
    BigDecimal amount = decimal(node, path, "amount");
    BigDecimal free = optional(node, path, "free_units", BigDecimal.ZERO);
    boolean roundDown = bool(node, path, "round_down");
    return at(path, () -> new PackagePrice(size, amount, free, roundDown));
  }

  private static PriceModel readPercentage(JsonNode node, String path) {
    BigDecimal rate = decimal(node, path, "rate");
    BigDecimal fixed = optional(node, path, "fixed_fee", BigDecimal.ZERO);
    int freeTransactions = count(node, path, "free_transactions");
    BigDecimal freeAmount = optional(node, path, "free_amount", BigDecimal.ZERO);
    BigDecimal min = optional(node, path, "min_per_transaction", null);
    BigDecimal max = optional(node, path, "max_per_transaction", null);
    return at(path, () -> new PercentagePrice(rate, fixed, freeTransactions, freeAmount, min, max));
  }

  private static List<Tier> tiers(JsonNode node, String path) {
    List<Tier> tiers = new ArrayList<>();
    BigDecimal previousEnd = BigDecimal.ZERO;
    for (JsonNode t : array(node, path)) {
      String at = path + ".tiers[" + tiers.size() + "]";
      onlyFields(t, at, TIER_FIELDS, false);
      BigDecimal from = from(t, path, tiers.size(), previousEnd);
      BigDecimal upTo = optional(t, at, "up_to", null);
      BigDecimal blockSize = optional(t, at, "block_size", null);
      BigDecimal price;
      if (blockSize == null) {
        if (t.has("block_price")) {
          throw new InvalidInputException(at + ".block_size", "is required with block_price");
        }
        price = decimal(t, at, "unit_price");
      } else {
        if (t.has("unit_price")) {
          throw new InvalidInputException(
              at + ".unit_price", "a tier of blocks has a block_price, not a unit_price");
        }
        price = decimal(t, at, "block_price");
      }
      BigDecimal flat = optional(t, at, "flat_fee", BigDecimal.ZERO);
      tiers.add(at(at, () -> new Tier(from, upTo, price, flat, blockSize)));
      previousEnd = upTo;
    }
    return tiers;
  }

  private static List<RateTier> rateTiers(JsonNode node, String path) {
    List<RateTier> tiers = new ArrayList<>();
    BigDecimal previousEnd = BigDecimal.ZERO;
    for (JsonNode t : array(node, path)) {
      String at = path + ".tiers[" + tiers.size() + "]";
      onlyFields(t, at, RATE_TIER_FIELDS, false);
      BigDecimal from = from(t, path, tiers.size(), previousEnd);
      BigDecimal upTo = optional(t, at, "up_to", null);
      BigDecimal rate = decimal(t, at, "rate");
      BigDecimal flat = optional(t, at, "flat_fee", BigDecimal.ZERO);
      tiers.add(at(at, () -> new RateTier(from, upTo, rate, flat)));
      previousEnd = upTo;
    }
    return tiers;
  }

  private static List<CapacityTier> capacityTiers(JsonNode node, String path) {
    List<CapacityTier> tiers = new ArrayList<>();
    for (JsonNode t : array(node, path)) {
      String at = path + ".tiers[" + tiers.size() + "]";
      onlyFields(t, at, CAPACITY_TIER_FIELDS, false);
      BigDecimal upTo = optional(t, at, "up_to", null);
      BigDecimal price = decimal(t, at, "price");
      tiers.add(at(at, () -> new CapacityTier(upTo, price)));
    }
    return tiers;
  }

  /** A tier's {@code from}: as written, or where the tier before ends. */
  private static BigDecimal from(JsonNode tier, String path, int index, BigDecimal previousEnd) {
    String at = path + ".tiers[" + index + "]";
    if (tier.has("from") && !tier.get("from").isNull()) {
      return decimal(tier, at, "from");
    }
    if (previousEnd == null) {
      throw new InvalidInputException(
          path + ".tiers[" + (index - 1) + "].up_to", "only the last tier is open-ended");
    }
    return previousEnd;
  }

  private static List<JsonNode> array(JsonNode node, String path) {
    JsonNode tiers = node.get("tiers");
    if (tiers == null || !tiers.isArray() || tiers.isEmpty()) {
      throw new InvalidInputException(path + ".tiers", "is a non-empty array of tiers");
    }
    List<JsonNode> list = new ArrayList<>();
    tiers.forEach(list::add);
    return list;
  }

  private static void onlyFields(JsonNode node, String path, Set<String> allowed, boolean typed) {
    if (!node.isObject()) {
      throw new InvalidInputException(path, "is an object");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name) && !(typed && name.equals("type"))) {
        throw new InvalidInputException(
            path + "." + name,
            "is not a field here; the fields are "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static BigDecimal decimal(JsonNode node, String path, String field) {
    return JsonDecimals.read(node.get(field), path + "." + field);
  }

  private static BigDecimal optional(
      JsonNode node, String path, String field, BigDecimal fallback) {
    return JsonDecimals.read(node.get(field), path + "." + field, fallback);
  }

  private static boolean bool(JsonNode node, String path, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidInputException(path + "." + field, "is true or false");
    }
    return value.booleanValue();
  }

  private static int count(JsonNode node, String path, String field) {
    BigDecimal value = optional(node, path, field, BigDecimal.ZERO);
    try {
      int n = value.intValueExact();
      if (n < 0) {
        throw new InvalidInputException(path + "." + field, "is zero or more");
      }
      return n;
    } catch (ArithmeticException e) {
      throw new InvalidInputException(path + "." + field, "is a whole number of transactions");
    }
  }

  /** Builds a value, naming its fields' errors under {@code path}. */
  private static <T> T at(String path, Supplier<T> build) {
    try {
      return build.get();
    } catch (InvalidInputException e) {
      if (e.field() != null && (e.field().equals(path) || e.field().startsWith(path + "."))) {
        throw e;
      }
      throw new InvalidInputException(path + "." + e.field(), e.getMessage());
    }
  }
}
