package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a {@link PlanCatalog} from flat settings ({@code plans.<plan>.<limit>.kind} and so on; see
 * {@link PlanCatalog#fromSettings}), building it directly with the same limit rules as the file
 * reader ({@link LimitFields}). Every refusal is an {@link InvalidSettingException} naming the full
 * key. Stateless.
 */
public final class SettingsCatalogReader {
  private static final Set<String> TOP = Set.of("zone", "thresholds", "plans");
  private static final Set<String> LIMIT = Set.of("kind", "limit", "period", "refill", "soft");

  private SettingsCatalogReader() {}

  /** Reads the catalog. */
  public static PlanCatalog read(Settings settings) {
    for (String group : settings.groups()) {
      if (!TOP.contains(group)) {
        throw new InvalidSettingException(
            settings.key(group),
            "is not a setting of a plan catalog; it has zone, thresholds and plans");
      }
    }
    PlanCatalog.Builder b = PlanCatalog.builder();
    settings
        .text("zone")
        .ifPresent(
            zone -> {
              try {
                b.zone(ZoneId.of(zone));
              } catch (DateTimeException e) {
                throw new InvalidSettingException(
                    settings.key("zone"),
                    "'" + zone + "' is not a time zone id such as UTC or Europe/Berlin");
              }
            });
    List<String> thresholds = settings.list("thresholds");
    if (!thresholds.isEmpty()) {
      int[] values = new int[thresholds.size()];
      for (int i = 0; i < values.length; i++) {
        String t = thresholds.get(i);
        if (!t.matches("\\d{1,4}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 1000) {
          throw new InvalidSettingException(
              settings.key("thresholds"),
              "holds '" + t + "'; a threshold is a percentage from 1 to 1000");
        }
        values[i] = Integer.parseInt(t);
      }
      b.thresholds(values);
    }
    Settings plans = settings.under("plans.");
    if (plans.groups().isEmpty()) {
      throw new InvalidSettingException(settings.key("plans"), "is required");
    }
    for (String id : plans.groups()) {
      b.plan(settings.check("plans", () -> plan(id, plans.under(id + "."), plans.key(id))));
    }
    return settings.check("plans", b::build);
  }

  private static Plan plan(String id, Settings limits, String key) {
    Plan.Builder b;
    try {
      b = Plan.builder(id);
    } catch (InvalidInputException e) {
      throw new InvalidSettingException(key, "is not valid: " + e.getMessage());
    }
    for (String name : limits.groups()) {
      Settings fields = limits.under(name + ".");
      fields.requireOnly(LIMIT);
      // A limit name has no hyphen, so one written with hyphens (as Spring Boot needs) is
      // unambiguous.
      String limitName = name.replace('-', '_');
      LimitSpec spec = limit(fields);
      try {
        b.limit(limitName, spec);
      } catch (InvalidInputException e) {
        throw new InvalidSettingException(limits.key(name), "is not valid: " + e.getMessage());
      }
    }
    try {
      return b.build();
    } catch (InvalidInputException e) {
      throw new InvalidSettingException(key, "is not valid: " + e.getMessage());
    }
  }

  private static LimitSpec limit(Settings fields) {
    String kind = required(fields, "kind");
    String limit = required(fields, "limit");
    boolean soft = fields.bool("soft").orElse(false);
    return LimitFields.spec(
        kind,
        limit,
        fields.text("period").orElse(null),
        fields.text("refill").orElse(null),
        soft,
        "period",
        (field, problem) ->
            new InvalidSettingException(
                fields.key(
                    field == LimitFields.Field.PER
                        ? "period"
                        : field.name().toLowerCase(Locale.ROOT)),
                "is not valid: " + problem));
  }

  private static String required(Settings fields, String name) {
    return fields
        .text(name)
        .orElseThrow(() -> new InvalidSettingException(fields.key(name), "is required"));
  }
}
