package dev.tenantkit.billing.price;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;

/**
 * Writes a {@link PriceModel} in the catalog's form that {@link PriceModels#read} accepts. Field
 * names are spelled here, not derived from record components, so renaming a component leaves the
 * written form as it is. Every decimal is written as a string of its plain digits ({@code "0.10"}),
 * so it reads back with its value and scale; optional fields that are absent ({@code null}) are
 * left out, every other field is written, defaults included.
 */
final class PriceModelWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PriceModelWriter() {}

  static ObjectNode write(PriceModel model) {
    ObjectNode node = NODES.objectNode();
    node.put("type", model.type());
    if (model instanceof StandardPrice p) {
      decimal(node, "unit_price", p.unitPrice());
    } else if (model instanceof FlatPrice p) {
      decimal(node, "amount", p.amount());
    } else if (model instanceof GraduatedPrice p) {
      tiers(node, p.tiers());
    } else if (model instanceof VolumePrice p) {
      tiers(node, p.tiers());
    } else if (model instanceof PackagePrice p) {
      decimal(node, "package_size", p.packageSize());
      decimal(node, "amount", p.amount());
      decimal(node, "free_units", p.freeUnits());
      node.put("round_down", p.roundDown());
    } else if (model instanceof PercentagePrice p) {
      decimal(node, "rate", p.rate());
      decimal(node, "fixed_fee", p.fixedFee());
      node.put("free_transactions", p.freeTransactions());
      decimal(node, "free_amount", p.freeAmount());
      decimal(node, "min_per_transaction", p.minPerTransaction());
      decimal(node, "max_per_transaction", p.maxPerTransaction());
    } else if (model instanceof GraduatedPercentagePrice p) {
      ArrayNode tiers = node.putArray("tiers");
      for (RateTier t : p.tiers()) {
        ObjectNode tier = tiers.addObject();
        decimal(tier, "from", t.from());
        decimal(tier, "up_to", t.upTo());
        decimal(tier, "rate", t.rate());
        decimal(tier, "flat_fee", t.flatFee());
      }
    } else if (model instanceof DynamicPrice p) {
      decimal(node, "multiplier", p.multiplier());
    } else if (model instanceof CapacityPrice p) {
      ArrayNode tiers = node.putArray("tiers");
      for (CapacityTier t : p.tiers()) {
        ObjectNode tier = tiers.addObject();
        decimal(tier, "up_to", t.upTo());
        decimal(tier, "price", t.price());
      }
    } else {
      throw new IllegalArgumentException(
          "price model '"
              + model.type()
              + "' ("
              + model.getClass().getName()
              + ") has no catalog form: only the models of this package can be written");
    }
    return node;
  }

  private static void tiers(ObjectNode node, List<Tier> list) {
    ArrayNode tiers = node.putArray("tiers");
    for (Tier t : list) {
      ObjectNode tier = tiers.addObject();
      decimal(tier, "from", t.from());
      decimal(tier, "up_to", t.upTo());
      if (t.blockSize() == null) {
        decimal(tier, "unit_price", t.unitPrice());
      } else {
        decimal(tier, "block_size", t.blockSize());
        decimal(tier, "block_price", t.unitPrice());
      }
      decimal(tier, "flat_fee", t.flatFee());
    }
  }

  private static void decimal(ObjectNode node, String field, BigDecimal value) {
    if (value != null) {
      node.put(field, value.toPlainString());
    }
  }
}
