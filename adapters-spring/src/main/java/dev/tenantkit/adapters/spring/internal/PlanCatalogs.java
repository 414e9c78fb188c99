package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.Resource;

/**
 * Makes the {@link PlanCatalog} of {@code tenantkit.quotas.*}: from the file at {@code
 * catalog-location}, else from the {@code plans} properties, else {@link PlanCatalog#defaults()};
 * then {@code zone} replaces the catalog's zone. With billing on, the {@link PriceCatalog} of the
 * same file ({@link #prices}). The {@code plans} properties are read by the framework-neutral
 * settings layer ({@link PlanCatalog#fromSettings}, fed by {@link PropertySettings}), which builds
 * the catalog directly. Every problem is an {@link InvalidPropertyException} naming the property.
 * Stateless.
 */
public final class PlanCatalogs {
  private static final String PREFIX = "tenantkit.quotas.";

  private PlanCatalogs() {}

  /**
   * The catalog the properties describe.
   *
   * @throws InvalidPropertyException if a property is not valid
   */
  public static PlanCatalog of(TenantkitProperties.Quotas quotas) {
    return withZone(quotas, limitsOf(quotas));
  }

  /**
   * The price catalog of the same properties, for billing: the {@code prices} sections of the file
   * at {@code catalog-location}, else {@link PriceCatalog#defaults()}; its limits are the catalog
   * {@link #of} makes from that file, with {@code zone} applied.
   *
   * @throws InvalidPropertyException if a property is not valid, or the plans are given as {@code
   *     tenantkit.quotas.plans}, which cannot carry prices
   */
  public static PriceCatalog prices(TenantkitProperties.Quotas quotas) {
    PriceCatalog prices;
    if (quotas.catalogLocation() != null) {
      limitsOf(quotas);
      prices = readPrices(quotas.catalogLocation());
    } else if (!quotas.plans().isEmpty()) {
      throw new InvalidPropertyException(
          PREFIX + "plans",
          "cannot carry prices, which billing (tenantkit.billing.enabled=true) needs; put the"
              + " plans, with a prices section each, in a file named by"
              + " tenantkit.quotas.catalog-location, or remove them to bill the default plans");
    } else {
      prices = PriceCatalog.defaults();
    }
    PlanCatalog limits = withZone(quotas, prices.limits());
    return limits == prices.limits() ? prices : PriceCatalog.of(limits, prices.prices());
  }

  private static PlanCatalog limitsOf(TenantkitProperties.Quotas quotas) {
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
    return catalog;
  }

  private static PlanCatalog withZone(TenantkitProperties.Quotas quotas, PlanCatalog catalog) {
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
      return new PlanCatalog(zone, catalog.thresholds(), catalog.plans());
    }
    return catalog;
  }

  private static PriceCatalog readPrices(Resource resource) {
    String property = PREFIX + "catalog-location";
    String name = resource.getFilename() == null ? "" : resource.getFilename();
    String text = text(resource, property);
    try {
      return name.toLowerCase(Locale.ROOT).endsWith(".json")
          ? PriceCatalog.fromJson(text, name)
          : PriceCatalog.fromYaml(text, name);
    } catch (InvalidInputException e) {
      throw new InvalidPropertyException(
          property, "does not have valid prices: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new InvalidPropertyException(property, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static String text(Resource resource, String property) {
    try {
      return resource.getContentAsString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidPropertyException(
          property, "is " + resource.getDescription() + ", which cannot be read: " + e, e);
    }
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
    String text = text(resource, property);
    try {
      return json ? PlanCatalog.fromJson(text, name) : PlanCatalog.fromYaml(text, name);
    } catch (InvalidPlanCatalogException e) {
      throw new InvalidPropertyException(
          property, "is not a valid plan catalog: " + e.getMessage(), e);
    } catch (IllegalStateException e) {
      throw new InvalidPropertyException(property, "cannot be read: " + e.getMessage(), e);
    }
  }

  /** Reads the properties with the shared settings layer, which builds the catalog directly. */
  private static PlanCatalog fromPlans(
      Map<String, Map<String, TenantkitProperties.PlanLimit>> plans) {
    Settings settings = PropertySettings.planCatalog(plans);
    return PropertySettings.read(() -> PlanCatalog.fromSettings(settings));
  }
}
