package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.servlet.QuotaFilter;
import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Feeds Spring Boot's bound {@code tenantkit.*} properties to the framework-neutral {@link
 * Settings} that servlet init-params feed too, keyed by the documented property names, so the
 * settings both hosts share are read by one layer and a refusal names the property. Spring Boot
 * binds and relaxes the names (kebab case, environment variables, lists written either way); what
 * the values mean is decided by the shared layer. Stateless.
 */
public final class PropertySettings {
  private static final String FILTER = "tenantkit.filter.";
  private static final String QUOTA_FILTER = "tenantkit.quotas.filter.";
  private static final String QUOTAS = "tenantkit.quotas.";
  private static final Set<String> SQUASHED =
      Set.of("storagebytes", "apicalls", "requestsperminute");

  private PropertySettings() {}

  /**
   * The tenant filter's settings: {@code exclude-paths} (with {@code alsoExcluded} added) and one
   * {@code scopes[<pattern>]} per rule, in order.
   *
   * @throws InvalidPropertyException if a scope key lost its slashes (written without brackets)
   */
  public static Settings tenantFilter(
      TenantkitProperties.Filter filter, List<String> alsoExcluded) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> excluded = new ArrayList<>(filter.excludePaths());
    excluded.addAll(alsoExcluded);
    values.put(FILTER + TenantFilter.EXCLUDE_PATHS_PARAM, String.join(",", excluded));
    for (Map.Entry<String, String> rule : filter.scopes().entrySet()) {
      if (!rule.getKey().startsWith("/")) {
        throw new InvalidPropertyException(
            "tenantkit.filter.scopes",
            "has the key '"
                + rule.getKey()
                + "'; keys are path patterns starting with '/', written in brackets so the"
                + " slashes are kept: tenantkit.filter.scopes[/api/files/**]=files:write");
      }
      values.put(
          FILTER + TenantFilter.SCOPES_SETTING + "[" + rule.getKey() + "]",
          rule.getValue() == null ? "" : rule.getValue());
    }
    return Settings.of(values).under(FILTER);
  }

  /**
   * The quota filter's settings: {@code consume} (limit names written with hyphens read with
   * underscores) and {@code unavailable-retry-after}.
   *
   * @throws InvalidPropertyException if a limit name lost its underscores
   */
  public static Settings quotaFilter(TenantkitProperties.QuotaFilter filter) {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> rules = new ArrayList<>();
    for (Map.Entry<String, String> e : filter.consume().entrySet()) {
      String limit = limitName(QUOTA_FILTER + "consume." + e.getKey(), e.getKey());
      rules.add(limit + "=" + (e.getValue() == null ? "" : e.getValue()));
    }
    if (!rules.isEmpty()) {
      values.put(QUOTA_FILTER + QuotaFilter.CONSUME_PARAM, String.join(",", rules));
    }
    values.put(
        QUOTA_FILTER + QuotaFilter.UNAVAILABLE_RETRY_AFTER_PARAM,
        filter.unavailableRetryAfter().toString());
    return Settings.of(values).under(QUOTA_FILTER);
  }

  /**
   * The plan catalog's settings, {@code plans.<plan>.<limit>.<field>} under {@code
   * tenantkit.quotas.}, keyed as the properties were written.
   *
   * @throws InvalidPropertyException if a limit name lost its underscores
   */
  public static Settings planCatalog(
      Map<String, Map<String, TenantkitProperties.PlanLimit>> plans) {
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, TenantkitProperties.PlanLimit>> plan : plans.entrySet()) {
      if (plan.getValue() == null) {
        continue;
      }
      for (Map.Entry<String, TenantkitProperties.PlanLimit> e : plan.getValue().entrySet()) {
        String key = QUOTAS + "plans." + plan.getKey() + "." + e.getKey() + ".";
        limitName(QUOTAS + "plans." + plan.getKey() + "." + e.getKey(), e.getKey());
        TenantkitProperties.PlanLimit l = e.getValue();
        // A limit without fields still names itself, so the reader says which field it lacks.
        values.put(key + "kind", l == null || l.kind() == null ? "" : l.kind());
        if (l == null) {
          continue;
        }
        put(values, key + "limit", l.limit());
        put(values, key + "period", l.period());
        put(values, key + "refill", l.refill());
        put(values, key + "soft", l.soft() == null ? null : l.soft().toString());
      }
    }
    return Settings.of(values).under(QUOTAS);
  }

  /**
   * Runs a step that reads settings and turns a refused setting into an {@link
   * InvalidPropertyException} naming the property.
   */
  public static <T> T read(Supplier<T> step) {
    try {
      return step.get();
    } catch (InvalidSettingException e) {
      throw new InvalidPropertyException(e.key(), e.problem(), e);
    }
  }

  private static void put(Map<String, String> values, String key, String value) {
    if (value != null) {
      values.put(key, value);
    }
  }

  /**
   * A limit name as a map key: Spring Boot drops {@code _} from map keys written without brackets,
   * which would silently name another limit.
   */
  private static String limitName(String property, String key) {
    String name = key.replace('-', '_');
    if (SQUASHED.contains(name)) {
      throw new InvalidPropertyException(
          property,
          "names the limit '"
              + name
              + "'; Spring Boot drops '_' from map keys, so write limit names with hyphens"
              + " (api-calls) or in brackets ([api_calls])");
    }
    return name;
  }
}
