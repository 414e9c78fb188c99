package dev.tenantkit.metering.quota.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads a {@link PlanCatalog} from a JSON or YAML tree. The walk is by hand rather than by data
 * binding so that every error names the exact path of the field, and unknown fields are refused
 * instead of silently ignored (a typo in "limit" must not mean "no limit").
 */
public final class CatalogReader {
  // A key given twice must not silently replace the first ("last one wins" is Jackson's default).
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final Pattern DIGITS = Pattern.compile("\\d[\\d_]*");
  private static final Set<String> TOP = Set.of("version", "zone", "thresholds", "plans");
  // "prices" belongs to billing-core (dev.tenantkit.billing.plan.PriceCatalog), which reads the
  // same file; the quota engine does not price, so it only checks that the section is an object.
  private static final Set<String> PLAN = Set.of("limits", "prices");
  private static final Set<String> LIMIT = Set.of("kind", "limit", "per", "refill", "soft");

  private final String source;

  private CatalogReader(String source) {
    this.source = source;
  }

  /** Reads JSON text. */
  public static PlanCatalog json(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw syntax(source, e);
    }
    return new CatalogReader(source).catalog(root);
  }

  /** Reads YAML text; fails with a clear message when the YAML module is missing. */
  public static PlanCatalog yaml(String text, String source) {
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
    return new CatalogReader(source).catalog(root);
  }

  static InvalidPlanCatalogException syntax(String source, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new InvalidPlanCatalogException(
        source, "", "not well-formed" + where + ": " + e.getOriginalMessage());
  }

  private PlanCatalog catalog(JsonNode root) {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw fail("", "the document is empty");
    }
    object(root, "");
    onlyFields(root, "", TOP);
    JsonNode version = root.get("version");
    if (version != null && !(version.isIntegralNumber() && version.asLong() == 1)) {
      throw fail("version", "only version 1 is understood");
    }
    PlanCatalog.Builder b = PlanCatalog.builder();
    JsonNode zone = root.get("zone");
    if (zone != null) {
      try {
        b.zone(ZoneId.of(text(zone, "zone")));
      } catch (DateTimeException e) {
        throw fail(
            "zone", "'" + zone.asText() + "' is not a time zone id such as UTC or Europe/Berlin");
      }
    }
    JsonNode thresholds = root.get("thresholds");
    if (thresholds != null) {
      if (!thresholds.isArray()) {
        throw fail("thresholds", "must be a list of percentages");
      }
      int[] values = new int[thresholds.size()];
      for (int i = 0; i < values.length; i++) {
        String path = "thresholds[" + i + "]";
        long v = whole(thresholds.get(i), path);
        if (v < 1 || v > 1000) {
          throw fail(path, "a threshold is a percentage from 1 to 1000");
        }
        values[i] = (int) v;
      }
      b.thresholds(values);
    }
    JsonNode plans = root.get("plans");
    if (plans == null) {
      throw fail("plans", "is required");
    }
    object(plans, "plans");
    for (Iterator<Map.Entry<String, JsonNode>> it = plans.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      b.plan(plan(e.getKey(), e.getValue(), "plans." + e.getKey()));
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw fail("plans", e.getMessage());
    }
  }

  private Plan plan(String id, JsonNode node, String path) {
    object(node, path);
    onlyFields(node, path, PLAN);
    JsonNode prices = node.get("prices");
    if (prices != null) {
      object(prices, path + ".prices");
    }
    Plan.Builder b = Plan.builder(id);
    JsonNode limits = node.get("limits");
    if (limits == null) {
      throw fail(path + ".limits", "is required");
    }
    object(limits, path + ".limits");
    for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String limitPath = path + ".limits." + e.getKey();
      LimitSpec spec = limit(e.getValue(), limitPath);
      try {
        b.limit(e.getKey(), spec);
      } catch (InvalidInputException ex) {
        throw fail(limitPath, ex.getMessage());
      }
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw fail(path, e.getMessage());
    }
  }

  private LimitSpec limit(JsonNode node, String path) {
    object(node, path);
    onlyFields(node, path, LIMIT);
    String kind = text(required(node, "kind", path), path + ".kind");
    String limit = amount(required(node, "limit", path), path + ".limit");
    JsonNode per = node.get("per");
    JsonNode refill = node.get("refill");
    boolean soft = false;
    JsonNode softNode = node.get("soft");
    if (softNode != null) {
      if (!softNode.isBoolean()) {
        throw fail(path + ".soft", "must be true or false");
      }
      soft = softNode.booleanValue();
    }
    return LimitFields.spec(
        kind,
        limit,
        per == null ? null : text(per, path + ".per"),
        refill == null ? null : amount(refill, path + ".refill"),
        soft,
        "per",
        (field, problem) -> fail(path + "." + field.name().toLowerCase(Locale.ROOT), problem));
  }

  /**
   * The text of an amount: a whole number or a string, which {@link LimitFields} reads; anything
   * else is refused here.
   */
  private String amount(JsonNode node, String path) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Long.toString(node.longValue());
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    throw fail(path, "must be a whole number from 0, or \"unlimited\"");
  }

  private long whole(JsonNode node, String path) {
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.longValue();
    }
    if (node.isTextual() && DIGITS.matcher(node.textValue()).matches()) {
      try {
        return Long.parseLong(node.textValue().replace("_", ""));
      } catch (NumberFormatException e) {
        throw fail(path, "is too large");
      }
    }
    throw fail(path, "must be a whole number");
  }

  private JsonNode required(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw fail(path + "." + field, "is required");
    }
    return v;
  }

  private String text(JsonNode node, String path) {
    if (!node.isTextual()) {
      throw fail(path, "must be a string");
    }
    return node.textValue().strip();
  }

  private void object(JsonNode node, String path) {
    if (!node.isObject()) {
      throw fail(path, "must be an object (a mapping of names to values)");
    }
  }

  private void onlyFields(JsonNode node, String path, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        throw fail(
            path.isEmpty() ? f : path + "." + f,
            "unknown field; allowed here: " + String.join(", ", new TreeSet<>(allowed)));
      }
    }
  }

  private InvalidPlanCatalogException fail(String path, String problem) {
    return new InvalidPlanCatalogException(source, path, problem);
  }
}
