package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@link PriceCatalog#defaults()}: the original design's prices on the quota defaults. */
final class DefaultPrices {
  /** The limits Starter and Professional bill overage on, and therefore make soft. */
  static final Set<String> OVERAGE_LIMITS =
      Set.of(PlanCatalog.FILES, PlanCatalog.STORAGE_BYTES, PlanCatalog.API_CALLS);

  static final PriceCatalog CATALOG = build();

  private DefaultPrices() {}

  private static PriceCatalog build() {
    PlanCatalog quota = PlanCatalog.defaults();
    PlanCatalog.Builder limits = PlanCatalog.builder().zone(quota.zone());
    limits.thresholds(quota.thresholds().stream().mapToInt(Integer::intValue).toArray());
    for (Plan p : quota.plans().values()) {
      boolean billsOverage = p.id().equals("starter") || p.id().equals("professional");
      Plan.Builder b = Plan.builder(p.id());
      for (Map.Entry<String, LimitSpec> l : p.limits().entrySet()) {
        b.limit(
            l.getKey(),
            billsOverage && OVERAGE_LIMITS.contains(l.getKey())
                ? l.getValue().asSoft()
                : l.getValue());
      }
      limits.plan(b.build());
    }
    Map<String, PlanPrices> prices = new LinkedHashMap<>();
    prices.put("free", monthly("0"));
    prices.put("starter", monthly("29", overage()));
    prices.put("professional", monthly("99", overage()));
    prices.put("enterprise", monthly("299"));
    return PriceCatalog.of(limits.build(), prices);
  }

  private static PlanPrices monthly(String fee, PlanCharge... overage) {
    List<PlanCharge> charges = new ArrayList<>();
    charges.add(PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal(fee)))));
    charges.addAll(List.of(overage));
    return new PlanPrices(Currency.getInstance("USD"), BillingInterval.MONTH, charges);
  }

  private static PlanCharge[] overage() {
    return new PlanCharge[] {
      PlanCharge.overage(
          Charge.usage(
              "files_overage",
              PlanCatalog.FILES,
              Aggregation.MAX,
              new StandardPrice(new BigDecimal("0.50"))),
          PlanCatalog.FILES),
      PlanCharge.overage(
              Charge.usage(
                  "storage_overage",
                  PlanCatalog.STORAGE_BYTES,
                  Aggregation.WEIGHTED_SUM,
                  new StandardPrice(new BigDecimal("10"))),
              PlanCatalog.STORAGE_BYTES)
          .withUnit(PlanCharge.GIB),
      PlanCharge.overage(
              Charge.usage(
                  "api_calls_overage",
                  PlanCatalog.API_CALLS,
                  Aggregation.COUNT,
                  new StandardPrice(new BigDecimal("0.10"))),
              PlanCatalog.API_CALLS)
          .withUnit(BigDecimal.valueOf(1000)),
    };
  }
}
