package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.metering.quota.InvalidPlanCatalogException;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.tenancy.InvalidInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One plan catalog for quotas and billing: the quota {@link PlanCatalog} (limits) and, per plan,
 * its {@link PlanPrices}. Read from the same JSON or YAML file as the quota catalog (each plan's
 * {@code prices} section, which the quota reader accepts and ignores), built in Java with {@link
 * #of}, or taken from {@link #defaults()}. Immutable and thread-safe.
 *
 * <p>The rule that keeps the quota decision and the invoice in agreement: an overage charge (one
 * that bills usage above a limit) is allowed only on a <em>soft</em> limit, since a hard limit
 * denies that usage and the invoice would bill what the quota refused. A soft limit of a priced
 * plan without an overage charge is allowed (the usage is only reported) and listed by {@link
 * #warnings()}. A plan of {@link #limits()} without prices is not billed.
 *
 * @param limits the plans' limits, as the quota enforcer reads them
 * @param prices each priced plan's prices by plan id, in catalog order
 */
public record PriceCatalog(PlanCatalog limits, Map<String, PlanPrices> prices) {

  /**
   * Checks that every priced plan is a plan of {@code limits} and every overage charge agrees with
   * its limit, and copies the map.
   *
   * @throws InvalidInputException whose {@link InvalidInputException#field()} is the path of the
   *     problem, such as {@code plans.starter.prices.charges[1].limit}
   */
  public PriceCatalog {
    if (limits == null) {
      throw new InvalidInputException("limits", "is required");
    }
    Objects.requireNonNull(prices, "prices");
    Map<String, PlanPrices> copy = new LinkedHashMap<>();
    for (Map.Entry<String, PlanPrices> e : prices.entrySet()) {
      String path = "plans." + e.getKey();
      Plan plan =
          limits
              .plan(e.getKey())
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          path,
                          "unknown plan '"
                              + e.getKey()
                              + "'; the catalog has "
                              + limits.plans().keySet()));
      if (e.getValue() == null) {
        throw new InvalidInputException(path + ".prices", "is required");
      }
      checkOverage(plan, e.getValue(), path + ".prices");
      copy.put(e.getKey(), e.getValue());
    }
    prices = Collections.unmodifiableMap(copy);
  }

  private static void checkOverage(Plan plan, PlanPrices prices, String path) {
    List<PlanCharge> charges = prices.charges();
    for (int i = 0; i < charges.size(); i++) {
      PlanCharge c = charges.get(i);
      if (!c.isOverage()) {
        continue;
      }
      String at = path + ".charges[" + i + "].limit";
      String name = "overage charge '" + c.code() + "' on limit '" + c.limit() + "'";
      LimitSpec spec =
          plan.limit(c.limit())
              .orElseThrow(
                  () ->
                      new InvalidInputException(
                          at,
                          name
                              + ": plan '"
                              + plan.id()
                              + "' has no such limit; it has "
                              + plan.limits().keySet()));
      if (spec.kind() == LimitKind.RATE) {
        throw new InvalidInputException(at, name + ": a rate limit has no usage to bill over");
      }
      if (spec.hardLimit()) {
        throw new InvalidInputException(
            at,
            name
                + ": the limit is hard, so the quota denies what the charge would bill; make"
                + " the limit soft (soft: true) or remove the charge");
      }
      if (spec.isUnlimited()) {
        throw new InvalidInputException(at, name + ": the limit is unlimited, nothing is over it");
      }
      if (spec.kind() == LimitKind.ALLOWANCE
          && !(spec.period() == ResetPeriod.MONTH && prices.interval() == BillingInterval.MONTH)) {
        throw new InvalidInputException(
            at,
            name
                + ": the allowance resets every "
                + spec.period()
                + " but the plan bills every "
                + prices.interval()
                + "; an overage charge on an allowance needs both to be MONTH");
      }
    }
  }

  /**
   * A catalog of these limits and prices.
   *
   * @throws InvalidInputException as the constructor
   */
  public static PriceCatalog of(PlanCatalog limits, Map<String, PlanPrices> prices) {
    return new PriceCatalog(limits, prices);
  }

  /**
   * The prices of the original design, in USD per month, on {@link PlanCatalog#defaults()}'s
   * limits, with Starter's and Professional's {@code files}, {@code storage_bytes} and {@code
   * api_calls} made soft because those plans bill overage there:
   *
   * <table>
   *   <caption>Default prices</caption>
   *   <tr><th>plan</th><th>subscription (flat, in advance, prorated)</th><th>overage</th></tr>
   *   <tr><td>free</td><td>0</td><td>none: every limit stays hard</td></tr>
   *   <tr><td>starter</td><td>29</td><td rowspan="2">0.50 per file above the limit (peak in the
   *       period); 10 per GiB of storage above the limit (peak, 1 GiB = 2^30 bytes, not rounded
   *       to whole GiB); 0.10 per 1,000 API calls above the monthly allowance (not rounded to
   *       whole thousands)</td></tr>
   *   <tr><td>professional</td><td>99</td></tr>
   *   <tr><td>enterprise</td><td>299</td><td>none: every limit is unlimited</td></tr>
   * </table>
   *
   * {@link PlanCatalog#defaults()} itself stays all hard for hosts that do not bill; a host that
   * bills gives its quota enforcer {@code PriceCatalog.defaults().limits()}.
   */
  public static PriceCatalog defaults() {
    return DefaultPrices.CATALOG;
  }

  /**
   * Reads a catalog (limits and prices) from JSON text.
   *
   * @param json the document
   * @param source a name for the document in error messages, such as its file name
   * @throws InvalidPlanCatalogException if the limits are wrong (see {@link PlanCatalog#fromJson})
   * @throws InvalidPriceCatalogException naming the source and the path of the first problem
   */
  public static PriceCatalog fromJson(String json, String source) {
    return PriceCatalogReader.json(json, source);
  }

  /**
   * Reads a catalog from a JSON file (UTF-8).
   *
   * @throws InvalidPlanCatalogException if the limits are wrong
   * @throws InvalidPriceCatalogException naming the file and the path of the first problem
   * @throws UncheckedIOException if the file cannot be read
   */
  public static PriceCatalog fromJson(Path file) {
    return PriceCatalogReader.json(read(file), file.toString());
  }

  /**
   * Reads a catalog from YAML text, with the same schema as JSON. Needs {@code
   * jackson-dataformat-yaml} on the class path.
   *
   * @throws InvalidPlanCatalogException if the limits are wrong
   * @throws InvalidPriceCatalogException naming the source and the path of the first problem
   * @throws IllegalStateException if the YAML module is not on the class path
   */
  public static PriceCatalog fromYaml(String yaml, String source) {
    return PriceCatalogReader.yaml(yaml, source);
  }

  /**
   * Reads a catalog from a YAML file (UTF-8).
   *
   * @throws InvalidPlanCatalogException if the limits are wrong
   * @throws InvalidPriceCatalogException naming the file and the path of the first problem
   * @throws UncheckedIOException if the file cannot be read
   * @throws IllegalStateException if the YAML module is not on the class path
   */
  public static PriceCatalog fromYaml(Path file) {
    return PriceCatalogReader.yaml(read(file), file.toString());
  }

  /** The prices of this plan, or empty when the plan is unknown or not billed. */
  public Optional<PlanPrices> prices(String planId) {
    return Optional.ofNullable(prices.get(planId));
  }

  /**
   * The prices of this plan.
   *
   * @throws InvalidInputException (field {@code plan}) if the plan is unknown or not billed
   */
  public PlanPrices requirePrices(String planId) {
    return prices(planId)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "plan", "plan '" + planId + "' has no prices; priced: " + prices.keySet()));
  }

  /**
   * Checks that every usage charge names one of these meters, for a host that knows its meters.
   *
   * @return this catalog
   * @throws InvalidInputException naming the charge's path if one names another meter
   */
  public PriceCatalog requireMeters(Collection<String> meters) {
    Set<String> known = new TreeSet<>(meters);
    for (Map.Entry<String, PlanPrices> e : prices.entrySet()) {
      List<PlanCharge> charges = e.getValue().charges();
      for (int i = 0; i < charges.size(); i++) {
        String meter = charges.get(i).charge().meter();
        if (meter != null && !known.contains(meter)) {
          throw new InvalidInputException(
              "plans." + e.getKey() + ".prices.charges[" + i + "].meter",
              "unknown meter '" + meter + "'; the meters are " + known);
        }
      }
    }
    return this;
  }

  /**
   * The soft limits of priced plans that no overage charge bills: allowed (the usage is reported,
   * not billed), listed so that a host can log them. One sentence each, in catalog order.
   */
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, PlanPrices> e : prices.entrySet()) {
      Plan plan = limits.plans().get(e.getKey());
      for (Map.Entry<String, LimitSpec> l : plan.limits().entrySet()) {
        boolean billed =
            e.getValue().charges().stream().anyMatch(c -> l.getKey().equals(c.limit()));
        if (!l.getValue().hardLimit() && !l.getValue().isUnlimited() && !billed) {
          out.add(
              "plan '"
                  + e.getKey()
                  + "': soft limit '"
                  + l.getKey()
                  + "' has no overage charge; usage above it is allowed and not billed");
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Publishes every priced plan's prices: an unchanged plan keeps its latest version, a changed one
   * gets the next.
   *
   * @return the current version of each priced plan, in catalog order
   */
  public Map<String, PlanVersion> publish(PlanVersionStore store) {
    Map<String, PlanVersion> out = new LinkedHashMap<>();
    prices.forEach((id, p) -> out.put(id, store.publish(id, p)));
    return Collections.unmodifiableMap(out);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read plan catalog " + file, e);
    }
  }
}
