package dev.tenantkit.billing.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.PriceModels;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Objects;

/**
 * A plan's prices in the catalog's own form: the {@code prices} section of one plan of a catalog
 * file ({@code currency}, {@code interval}, {@code charges}, each charge with its {@code price} as
 * {@link PriceModels} writes it). This is the form a {@link PlanVersion} is stored in, so a stored
 * version reads with the same reader (and the same checks) as a catalog, and renaming a Java class
 * or record component changes nothing stored. Stateless and thread-safe.
 *
 * <p>{@link #write} spells out every field, defaults included (a charge's {@code timing}, {@code
 * prorated}, {@code rounding}, {@code unit}, ...), and decimals as strings of their plain digits,
 * so that {@code read(write(p))} equals {@code p}.
 */
public final class PlanPricesJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PlanPricesJson() {}

  /**
   * The prices as a catalog's {@code prices} section.
   *
   * @throws IllegalArgumentException if a charge's price model is not one of the price package's
   *     (it has no catalog form)
   */
  public static ObjectNode write(PlanPrices prices) {
    Objects.requireNonNull(prices, "prices");
    ObjectNode node = NODES.objectNode();
    node.put("currency", prices.currency().getCurrencyCode());
    node.put("interval", prices.interval().name().toLowerCase(Locale.ROOT));
    ArrayNode charges = node.putArray("charges");
    for (PlanCharge pc : prices.charges()) {
      charges.add(charge(pc));
    }
    return node;
  }

  private static ObjectNode charge(PlanCharge pc) {
    Charge c = pc.charge();
    ObjectNode node = NODES.objectNode();
    node.put("code", c.code());
    if (c.meter() != null) {
      node.put("meter", c.meter());
      node.put("aggregation", c.aggregation().name().toLowerCase(Locale.ROOT));
    }
    if (pc.limit() != null) {
      node.put("limit", pc.limit());
    }
    node.set("price", PriceModels.write(c.model()));
    node.put("timing", c.timing() == ChargeTiming.ADVANCE ? "advance" : "arrears");
    node.put("prorated", c.prorated());
    ObjectNode rounding = node.putObject("rounding");
    rounding.put("mode", c.rounding().mode().name().toLowerCase(Locale.ROOT));
    rounding.put("precision", c.rounding().precision());
    decimal(node, "free_units", c.freeUnits());
    decimal(node, "discount_percent", c.discountPercent());
    decimal(node, "minimum", c.minimum());
    decimal(node, "unit", pc.unit());
    return node;
  }

  private static void decimal(ObjectNode node, String field, BigDecimal value) {
    node.put(field, value.toPlainString());
  }

  /**
   * Reads prices written by {@link #write} (or a catalog's {@code prices} section whose charges
   * name their aggregation), with every check a catalog's prices get.
   *
   * @param node the prices object
   * @param source what the text is, for error messages (such as {@code "plan version starter v2"})
   * @throws InvalidPriceCatalogException naming the path of the first problem
   */
  public static PlanPrices read(JsonNode node, String source) {
    return PriceCatalogReader.prices(node, source);
  }
}
