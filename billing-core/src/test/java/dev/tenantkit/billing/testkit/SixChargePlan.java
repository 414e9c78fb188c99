package dev.tenantkit.billing.testkit;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.price.CapacityPrice;
import dev.tenantkit.billing.price.CapacityTier;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.GraduatedPrice;
import dev.tenantkit.billing.price.PackagePrice;
import dev.tenantkit.billing.price.PercentagePrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Tier;
import dev.tenantkit.billing.price.VolumePrice;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Meters;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A monthly USD plan with six usage charges of mixed models, shared by the billing tests and the
 * {@code InvoiceCalculation} benchmark so that both price the same plan:
 *
 * <ul>
 *   <li>{@code requests} (SUM), graduated: 0 to 1,000 at 0.01, then 0.005 with a flat fee of 5;
 *   <li>{@code messages} (SUM), volume: up to 100 at 0.10, above at 0.08 with a flat fee of 2;
 *   <li>{@code emails} (SUM), packages of 100 at 5, started packages billed in full;
 *   <li>{@code payments} (SUM of decimal amounts), 1.2% plus 0.10 per transaction;
 *   <li>{@code storage} on {@code storage_bytes} (WEIGHTED_SUM), 0.25 per GiB held;
 *   <li>{@code seats} (MAX), capacity: up to 10 for 100, up to 50 for 400, above for 1,000.
 * </ul>
 *
 * Immutable values; thread-safe.
 */
public final class SixChargePlan {
  private SixChargePlan() {}

  /** The six charges, without a recurring fee. */
  public static PlanPrices prices() {
    return new PlanPrices(Money.currency("USD"), BillingInterval.MONTH, charges());
  }

  /**
   * The six charges and a flat fee of {@code fee} a month in advance (charge {@code subscription}).
   */
  public static PlanPrices pricesWithFee(String fee) {
    List<PlanCharge> all = new ArrayList<>(charges());
    all.add(PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal(fee)))));
    return new PlanPrices(Money.currency("USD"), BillingInterval.MONTH, all);
  }

  /**
   * The meters the six charges read: {@code requests}, {@code messages} and {@code emails} (integer
   * SUM), {@code payments} (decimal SUM, one event per payment), the built-in {@code storage_bytes}
   * and {@code seats} (a level, LATEST, so its MAX is the period's peak).
   */
  public static MeterCatalog meters() {
    return MeterCatalog.builder()
        .add(Meters.STORAGE_BYTES)
        .add(MeterDefinition.builder("requests").unit("requests").build())
        .add(MeterDefinition.builder("messages").unit("messages").build())
        .add(MeterDefinition.builder("emails").unit("emails").build())
        .add(MeterDefinition.builder("payments").unit("USD").decimal().build())
        .add(MeterDefinition.builder("seats").unit("seats").aggregation(Aggregation.LATEST).build())
        .build();
  }

  private static List<PlanCharge> charges() {
    return List.of(
        PlanCharge.of(
            Charge.usage(
                "requests",
                "requests",
                Aggregation.SUM,
                GraduatedPrice.of(
                    Tier.perUnit("0", "1000", "0.01", null),
                    Tier.perUnit("1000", null, "0.005", "5")))),
        PlanCharge.of(
            Charge.usage(
                "messages",
                "messages",
                Aggregation.SUM,
                VolumePrice.of(
                    Tier.perUnit("0", "100", "0.10", null),
                    Tier.perUnit("100", null, "0.08", "2")))),
        PlanCharge.of(
            Charge.usage("emails", "emails", Aggregation.SUM, PackagePrice.of("100", "5"))),
        PlanCharge.of(
            Charge.usage(
                "payments",
                "payments",
                Aggregation.SUM,
                new PercentagePrice(
                    new BigDecimal("1.2"), new BigDecimal("0.10"), 0, null, null, null))),
        PlanCharge.of(
                Charge.usage(
                    "storage",
                    "storage_bytes",
                    Aggregation.WEIGHTED_SUM,
                    new StandardPrice(new BigDecimal("0.25"))))
            .withUnit(PlanCharge.GIB),
        PlanCharge.of(
            Charge.usage(
                "seats",
                "seats",
                Aggregation.MAX,
                CapacityPrice.of(
                    CapacityTier.of("10", "100"),
                    CapacityTier.of("50", "400"),
                    CapacityTier.of(null, "1000")))));
  }
}
