package dev.tenantkit.billing.plan;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.internal.JsonDecimals;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.PriceModels;
import dev.tenantkit.billing.price.QuantityRounding;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code prices} sections of a plan catalog file; the limits are read by metering-core's
 * reader from the same text. As there, the walk is by hand so that every error names its path and
 * unknown fields are refused. Decimals are read exactly ({@link JsonDecimals}).
 */
final class PriceCatalogReader {
  private static final Logger LOG = LoggerFactory.getLogger(PriceCatalogReader.class);
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();
  private static final Set<String> PRICES = Set.of("currency", "interval", "charges");
  private static final Set<String> CHARGE =
      Set.of(
          "code",
          "meter",
          "aggregation",
          "price",
          "timing",
          "rounding",
          "free_units",
          "discount_percent",
          "minimum",
          "prorated",
          "limit",
          "unit");
  private static final Set<String> ROUNDING = Set.of("mode", "precision");
  private static final Map<String, BigDecimal> UNITS =
      Map.of(
          "kb", BigDecimal.valueOf(1_000L),
          "mb", BigDecimal.valueOf(1_000_000L),
          "gb", BigDecimal.valueOf(1_000_000_000L),
          "tb", BigDecimal.valueOf(1_000_000_000_000L),
          "kib", BigDecimal.valueOf(1L << 10),
          "mib", BigDecimal.valueOf(1L << 20),
          "gib", BigDecimal.valueOf(1L << 30),
          "tib", BigDecimal.valueOf(1L << 40));

  private final String source;
  private final PlanCatalog limits;

  /** The first segment of every path this reader names: an error already at a path starts so. */
  private final String root;

  private PriceCatalogReader(String source, PlanCatalog limits, String root) {
    this.source = source;
    this.limits = limits;
    this.root = root;
  }

  static PriceCatalog json(String text, String source) {
    PlanCatalog limits = PlanCatalog.fromJson(text, source);
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntax(source, e);
    }
    return new PriceCatalogReader(source, limits, "plans").catalog(root);
  }

  static PriceCatalog yaml(String text, String source) {
    PlanCatalog limits = PlanCatalog.fromYaml(text, source);
    JsonNode root;
    try {
      root = YamlTrees.read(text);
    } catch (NoClassDefFoundError e) {
      throw new IllegalStateException(
          "reading a YAML plan catalog needs com.fasterxml.jackson.dataformat:"
              + "jackson-dataformat-yaml on the class path",
          e);
    } catch (JsonProcessingException e) {
      throw syntax(source, e);
    }
    return new PriceCatalogReader(source, limits, "plans").catalog(root);
  }

  /**
   * One plan's prices on their own (a stored plan version, {@link PlanPricesJson}): without the
   * catalog's limits, every charge on a meter names its aggregation.
   */
  static PlanPrices prices(JsonNode node, String source) {
    if (node == null || !node.isObject()) {
      throw new InvalidPriceCatalogException(source, "", "is an object of prices");
    }
    return new PriceCatalogReader(source, null, "prices").prices(null, node, "prices");
  }

  private static InvalidPriceCatalogException syntax(String source, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new InvalidPriceCatalogException(
        source, "", "not well-formed" + where + ": " + e.getOriginalMessage());
  }

  private PriceCatalog catalog(JsonNode root) {
    // The limits reader has checked the document's shape up to each plan's "prices" object.
    Map<String, PlanPrices> prices = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : root.get("plans").properties()) {
      JsonNode node = e.getValue().get("prices");
      if (node != null) {
        String path = "plans." + e.getKey() + ".prices";
        prices.put(e.getKey(), guard(path, () -> prices(e.getKey(), node, path)));
      }
    }
    PriceCatalog catalog = guard("", () -> PriceCatalog.of(limits, prices));
    for (String warning : catalog.warnings()) {
      LOG.warn("{}: {}", source, warning);
    }
    return catalog;
  }

  private PlanPrices prices(String planId, JsonNode node, String path) {
    onlyFields(node, path, PRICES);
    Currency currency =
        guard(path + ".currency", () -> Money.currency(text(node.get("currency"), "currency")));
    BillingInterval interval =
        node.get("interval") == null
            ? BillingInterval.MONTH
            : guard(
                path + ".interval",
                () -> BillingInterval.parse(text(node.get("interval"), "interval")));
    JsonNode list = node.get("charges");
    if (list == null || !list.isArray()) {
      throw fail(path + ".charges", "is required: a list of charges");
    }
    List<PlanCharge> charges = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = path + ".charges[" + i + "]";
      JsonNode c = list.get(i);
      charges.add(guard(at, () -> charge(planId, c, at)));
    }
    return guard(path + ".charges", () -> new PlanPrices(currency, interval, charges));
  }

  private PlanCharge charge(String planId, JsonNode node, String path) {
    if (!node.isObject()) {
      throw fail(path, "must be an object (a mapping of names to values)");
    }
    onlyFields(node, path, CHARGE);
    String code = text(node.get("code"), "code");
    String limit = node.has("limit") ? text(node.get("limit"), "limit") : null;
    String meter = node.has("meter") ? text(node.get("meter"), "meter") : limit;
    Aggregation aggregation =
        node.has("aggregation")
            ? guard(path + ".aggregation", () -> aggregation(node.get("aggregation")))
            : limit == null ? null : defaultAggregation(planId, limit, path);
    // A model's own checks name their field ("amount"); the reader's name the full path.
    PriceModel model =
        guard(path + ".price", () -> PriceModels.read(node.get("price"), path + ".price"));
    if (meter != null && aggregation == null) {
      throw fail(
          path + ".aggregation",
          "is required: a charge on a meter names its aggregation ("
              + known(Aggregation.values())
              + ")");
    }
    Charge charge =
        meter == null
            ? Charge.flat(code, model)
            : guard(path, () -> Charge.usage(code, meter, aggregation, model));
    if (node.has("timing")) {
      charge = charge.withTiming(timing(node.get("timing"), path + ".timing"));
    }
    if (node.has("prorated")) {
      JsonNode p = node.get("prorated");
      if (!p.isBoolean()) {
        throw fail(path + ".prorated", "must be true or false");
      }
      charge = charge.withProrated(p.booleanValue());
    }
    if (node.has("rounding")) {
      charge = charge.withRounding(rounding(node.get("rounding"), path + ".rounding"));
    }
    charge =
        charge
            .withFreeUnits(
                JsonDecimals.read(node.get("free_units"), path + ".free_units", BigDecimal.ZERO))
            .withDiscountPercent(
                JsonDecimals.read(
                    node.get("discount_percent"), path + ".discount_percent", BigDecimal.ZERO))
            .withMinimum(
                JsonDecimals.read(node.get("minimum"), path + ".minimum", BigDecimal.ZERO));
    BigDecimal unit = node.has("unit") ? unit(node.get("unit"), path + ".unit") : BigDecimal.ONE;
    return new PlanCharge(charge, limit, unit);
  }

  /** An overage charge's aggregation follows its limit: the peak of a gauge, the sum otherwise. */
  private Aggregation defaultAggregation(String planId, String limit, String path) {
    if (limits == null) {
      throw fail(path + ".aggregation", "is required: prices on their own have no limits");
    }
    LimitSpec spec =
        limits
            .plan(planId)
            .flatMap(p -> p.limit(limit))
            .orElseThrow(
                () -> fail(path + ".limit", "plan '" + planId + "' has no limit '" + limit + "'"));
    return spec.kind() == LimitKind.GAUGE ? Aggregation.MAX : Aggregation.SUM;
  }

  private static Aggregation aggregation(JsonNode node) {
    String v = text(node, "aggregation");
    try {
      return Aggregation.valueOf(v.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(
          "aggregation", "unknown aggregation '" + v + "'; known: " + known(Aggregation.values()));
    }
  }

  private ChargeTiming timing(JsonNode node, String path) {
    String v = guard(path, () -> text(node, "timing"));
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "advance", "in_advance" -> ChargeTiming.ADVANCE;
      case "arrears", "in_arrears" -> ChargeTiming.ARREARS;
      default -> throw fail(path, "is advance or arrears, got '" + v + "'");
    };
  }

  private QuantityRounding rounding(JsonNode node, String path) {
    if (!node.isObject()) {
      throw fail(path, "must be an object with mode and precision");
    }
    onlyFields(node, path, ROUNDING);
    String mode = guard(path + ".mode", () -> text(node.get("mode"), "mode"));
    QuantityRounding.Mode m;
    try {
      m = QuantityRounding.Mode.valueOf(mode.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw fail(path + ".mode", "is round, ceil, floor or none, got '" + mode + "'");
    }
    JsonNode p = node.get("precision");
    if (p != null && !(p.isIntegralNumber() && p.canConvertToInt())) {
      throw fail(path + ".precision", "must be a whole number from -18 to 12");
    }
    int precision = p == null ? 0 : p.intValue();
    return guard(path, () -> new QuantityRounding(m, precision));
  }

  private BigDecimal unit(JsonNode node, String path) {
    if (node.isTextual()) {
      BigDecimal named = UNITS.get(node.textValue().strip().toLowerCase(Locale.ROOT));
      if (named != null) {
        return named;
      }
    }
    try {
      return JsonDecimals.read(node, path);
    } catch (InvalidInputException e) {
      throw fail(
          path, "is a positive number of meter units or one of KB, MB, GB, TB, KiB, MiB, GiB, TiB");
    }
  }

  private static String text(JsonNode node, String field) {
    if (node == null || node.isNull()) {
      throw new InvalidInputException(field, "is required");
    }
    if (!node.isTextual()) {
      throw new InvalidInputException(field, "must be a string");
    }
    return node.textValue().strip();
  }

  private static String known(Enum<?>[] values) {
    List<String> names = new ArrayList<>();
    for (Enum<?> v : values) {
      names.add(v.name().toLowerCase(Locale.ROOT));
    }
    return String.join(", ", names);
  }

  private void onlyFields(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw fail(
            path + "." + f,
            "unknown field; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  /**
   * Runs a step and turns a rule it breaks into an error at {@code path}: a field name that is not
   * already a path ({@code "currency"}, {@code "free_units"}) is taken as relative to {@code path}
   * when it is not the last segment of {@code path} itself.
   */
  private <T> T guard(String path, Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidPriceCatalogException e) {
      throw e;
    } catch (InvalidInputException e) {
      String field = e.field() == null ? "" : e.field();
      String at;
      if (field.startsWith(root + ".")) {
        at = field;
      } else if (field.isEmpty() || path.endsWith("." + field) || path.equals(field)) {
        at = path;
      } else {
        at = path.isEmpty() ? field : path + "." + field;
      }
      throw fail(at, e.getMessage());
    }
  }

  private InvalidPriceCatalogException fail(String path, String problem) {
    return new InvalidPriceCatalogException(source, path, problem);
  }
}
