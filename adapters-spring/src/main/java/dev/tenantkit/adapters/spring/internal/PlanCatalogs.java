package dev.tenantkit.adapters.spring.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.PlanCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.Resource;

/**
 * Makes the {@link PlanCatalog} of {@code tenantkit.quotas.*}: from the file at {@code
 * catalog-location}, else from the {@code plans} properties, else {@link PlanCatalog#defaults()};
 * then {@code zone} replaces the catalog's zone. Every problem is an {@link
 * InvalidPropertyException} naming the property. Stateless.
 */
public final class PlanCatalogs {
  private static final String PREFIX = "tenantkit.quotas.";
  private static final Pattern PATH =
      Pattern.compile("plans\\.([^.]+)\\.limits\\.([^.]+)(?:\\.(\\w+))?");
  private static final Pattern DIGITS = Pattern.compile("\\d+");
  private static final Set<String> SQUASHED =
      Set.of("storagebytes", "apicalls", "requestsperminute");

  private PlanCatalogs() {}

  /**
   * The catalog the properties describe.
   *
   * @throws InvalidPropertyException if a property is not valid
   */
  public static PlanCatalog of(TenantkitProperties.Quotas quotas) {
    PlanCatalog catalog;
    if (quotas.catalogLocation() != null) {
      if (!quotas.plans().isEmpty()) {
        throw new InvalidPropertyException(
            PREFIX + "plans",
            "cannot be used together with tenantkit.quotas.catalog-location; keep one of them");
      }
      catalog = read(quotas.catalogLocation());
    } else if (!quotas.plans().isEmpty()) {
      catalog = fromPlans(quotas.plans());
    } else {
      catalog = PlanCatalog.defaults();
    }
    if (quotas.zone() != null && !quotas.zone().isBlank()) {
      ZoneId zone;
      try {
        zone = ZoneId.of(quotas.zone().strip());
      } catch (DateTimeException e) {
        throw new InvalidPropertyException(
            PREFIX + "zone",
            "is '" + quotas.zone() + "', which is not a time zone id such as UTC or Europe/Berlin",
            e);
      }
      catalog = new PlanCatalog(zone, catalog.thresholds(), catalog.plans());
    }
    return catalog;
  }

  private static PlanCatalog read(Resource resource) {
    String property = PREFIX + "catalog-location";
    String name = resource.getFilename() == null ? "" : resource.getFilename();
    String lower = name.toLowerCase(Locale.ROOT);
    boolean json = lower.endsWith(".json");
    if (!json && !lower.endsWith(".yaml") && !lower.endsWith(".yml")) {
      throw new InvalidPropertyException(
          property,
          "is " + resource.getDescription() + "; a plan catalog file ends in .json, .yaml or .yml");
    }
    if (!resource.exists()) {
      throw new InvalidPropertyException(
          property, "is " + resource.getDescription() + ", which does not exist");
    }
    String text;
    try {
      text = resource.getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPropertyException(
          property, "is " + resource.getDescription() + ", which cannot be read: " + e, e);
    }
    try {
      return json ? PlanCatalog.fromJson(text, name) : PlanCatalog.fromYaml(text, name);
    } catch (InvalidPlanCatalogException e) {
      throw new InvalidPropertyException(
          property, "is not a valid plan catalog: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new InvalidPropertyException(property, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** Writes the properties as the JSON catalog schema, so the core's reader checks them. */
  private static PlanCatalog fromPlans(
      Map<String, Map<String, TenantkitProperties.PlanLimit>> plans) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    ObjectNode plansNode = root.putObject("plans");
    Map<String, String> keys = new HashMap<>();
    for (Map.Entry<String, Map<String, TenantkitProperties.PlanLimit>> plan : plans.entrySet()) {
      ObjectNode limits = plansNode.putObject(plan.getKey()).putObject("limits");
      if (plan.getValue() == null) {
        continue;
      }
      for (Map.Entry<String, TenantkitProperties.PlanLimit> e : plan.getValue().entrySet()) {
        String limitName = e.getKey().replace('-', '_');
        keys.put(plan.getKey() + "." + limitName, e.getKey());
        if (SQUASHED.contains(limitName)) {
          throw new InvalidPropertyException(
              PREFIX + "plans." + plan.getKey() + "." + e.getKey(),
              "names the limit '"
                  + limitName
                  + "'; Spring Boot drops '_' from map keys, so write limit names with hyphens"
                  + " (api-calls) or in brackets ([api_calls])");
        }
        TenantkitProperties.PlanLimit l = e.getValue();
        ObjectNode node = limits.putObject(limitName);
        if (l == null) {
          continue;
        }
        putText(node, "kind", l.kind());
        putAmount(node, "limit", l.limit());
        putText(node, "per", l.period());
        putAmount(node, "refill", l.refill());
        if (l.soft() != null) {
          node.put("soft", l.soft());
        }
      }
    }
    try {
      return PlanCatalog.fromJson(root.toString(), "tenantkit.quotas.plans");
    } catch (InvalidPlanCatalogException e) {
      throw new InvalidPropertyException(
          property(e.field(), keys), "is not valid: " + problem(e), e);
    }
  }

  private static void putText(ObjectNode node, String name, String value) {
    if (value != null) {
      node.put(name, value.strip());
    }
  }

  private static void putAmount(ObjectNode node, String name, String value) {
    if (value == null) {
      return;
    }
    String v = value.strip().replace("_", "");
    if (DIGITS.matcher(v).matches() && v.length() < 19) {
      node.put(name, Long.parseLong(v));
    } else {
      node.put(name, value.strip());
    }
  }

  /** The property for a path of the catalog schema, such as {@code plans.free.limits.x.per}. */
  private static String property(String path, Map<String, String> keys) {
    if (path == null || path.isEmpty()) {
      return PREFIX + "plans";
    }
    Matcher m = PATH.matcher(path);
    if (m.matches()) {
      String field =
          m.group(3) == null ? "" : "." + ("per".equals(m.group(3)) ? "period" : m.group(3));
      String key = keys.getOrDefault(m.group(1) + "." + m.group(2), m.group(2));
      return PREFIX + "plans." + m.group(1) + "." + key + field;
    }
    return PREFIX + path;
  }

  private static String problem(InvalidPlanCatalogException e) {
    // The message repeats the source and the path, which the property name already says.
    String message = e.getMessage();
    String path = e.field() == null ? "" : e.field();
    String prefix = e.source() + (path.isEmpty() ? "" : ": " + path) + ": ";
    String problem = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    return problem.replace("'per'", "'period'");
  }
}
