package dev.tenantkit.billing.plan.testkit;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.price.CapacityPrice;
import dev.tenantkit.billing.price.CapacityTier;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.DynamicPrice;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.GraduatedPercentagePrice;
import dev.tenantkit.billing.price.GraduatedPrice;
import dev.tenantkit.billing.price.PackagePrice;
import dev.tenantkit.billing.price.PercentagePrice;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.QuantityRounding;
import dev.tenantkit.billing.price.RateTier;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Tier;
import dev.tenantkit.billing.price.VolumePrice;
import dev.tenantkit.metering.Aggregation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Prices that use every price model and, between them, every option of every model and of a charge,
 * each set to a value other than its default: what a stored form must keep.
 */
public final class EveryPriceOption {
  private EveryPriceOption() {}

  private static BigDecimal d(String text) {
    return new BigDecimal(text);
  }

  /** Every model, and between them every option of every model. */
  public static List<PriceModel> models() {
    return List.of(
        new StandardPrice(d("0.50")),
        new StandardPrice(d("0.000000000001")),
        new FlatPrice(d("29")),
        new FlatPrice(d("299.99")),
        GraduatedPrice.of(
            Tier.perUnit("0", "100", "0.10", "2"),
            new Tier(d("100"), d("1100"), d("5"), d("1.5"), d("100")),
            Tier.perUnit("1100", null, "0.01", "0")),
        VolumePrice.of(
            new Tier(d("0"), d("1000"), d("5"), d("0.25"), d("100")),
            Tier.perBlock("1000", null, "1000", "30")),
        VolumePrice.of(Tier.perUnit("0", "10", "1", "3"), Tier.perUnit("10", null, "0.5", "0")),
        new PackagePrice(d("100"), d("5"), d("20"), true),
        new PackagePrice(d("0.5"), d("1.25"), d("0"), false),
        new PercentagePrice(d("1.2"), d("0.10"), 3, d("500"), d("0.2"), d("5")),
        PercentagePrice.of("2.5"),
        GraduatedPercentagePrice.of(
            RateTier.of("0", "1000", "1", "200"),
            RateTier.of("1000", "10000", "2", "300"),
            RateTier.of("10000", null, "3", "400")),
        new DynamicPrice(d("1.15")),
        DynamicPrice.of(),
        CapacityPrice.of(CapacityTier.of("10", "0"), CapacityTier.of(null, "99.5")));
  }

  /**
   * A yearly EUR plan with a flat fee in arrears and not prorated, one in advance, and one usage
   * charge per model of {@link #models()} with a rounding, free units (where the model allows), a
   * discount, a minimum, and on some an overage limit and a unit.
   */
  public static PlanPrices prices() {
    List<PlanCharge> charges = new ArrayList<>();
    charges.add(
        PlanCharge.of(
            Charge.flat("base", new FlatPrice(d("29")))
                .withTiming(ChargeTiming.ARREARS)
                .withProrated(false)));
    charges.add(PlanCharge.of(Charge.flat("setup", new StandardPrice(d("12.34")))));
    QuantityRounding[] roundings = {
      new QuantityRounding(QuantityRounding.Mode.CEIL, -2),
      new QuantityRounding(QuantityRounding.Mode.FLOOR, 3),
      new QuantityRounding(QuantityRounding.Mode.ROUND, 0),
      QuantityRounding.NONE
    };
    List<PriceModel> models = models();
    for (int i = 0; i < models.size(); i++) {
      PriceModel m = models.get(i);
      Aggregation aggregation = m instanceof CapacityPrice ? Aggregation.MAX : Aggregation.SUM;
      Charge c =
          Charge.usage("usage_" + i, i % 2 == 0 ? "api_calls" : "payments", aggregation, m)
              .withRounding(roundings[i % roundings.length])
              .withDiscountPercent(d("12.5"))
              .withMinimum(d("20.25"));
      if (!m.pricesTransactions()) {
        c = c.withFreeUnits(d("10.5"));
      }
      PlanCharge pc = i % 3 == 0 ? PlanCharge.overage(c, "api_calls") : PlanCharge.of(c);
      charges.add(i % 4 == 1 ? pc.withUnit(PlanCharge.GIB) : pc);
    }
    return new PlanPrices(
        java.util.Currency.getInstance("EUR"), BillingInterval.YEAR, List.copyOf(charges));
  }
}
