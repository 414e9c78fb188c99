package dev.tenantkit.billing.price;

import static dev.tenantkit.billing.price.TieredPricesTest.assertField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.Aggregation;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChargeTest {
  static final BigDecimal FULL = BigDecimal.ONE;
  static final BigDecimal HALF = new BigDecimal("0.5");

  static Charge apiCalls(PriceModel model) {
    return Charge.usage("api_calls", "api_calls", Aggregation.SUM, model);
  }

  static StandardPrice perUnit(String price) {
    return new StandardPrice(new BigDecimal(price));
  }

  @Nested
  class QuantityRoundingRules {
    @Test
    void negativePrecisionRoundsToTens() {
      BigDecimal q = new BigDecimal("123.4567");
      assertThat(new QuantityRounding(QuantityRounding.Mode.ROUND, -1).apply(q).toPlainString())
          .isEqualTo("120");
      assertThat(new QuantityRounding(QuantityRounding.Mode.FLOOR, -1).apply(q).toPlainString())
          .isEqualTo("120");
      // Ceiling goes up to the next ten: 130, not 120.
      assertThat(new QuantityRounding(QuantityRounding.Mode.CEIL, -1).apply(q).toPlainString())
          .isEqualTo("130");
      assertThat(new QuantityRounding(QuantityRounding.Mode.ROUND, 2).apply(q).toPlainString())
          .isEqualTo("123.46");
      assertThat(new QuantityRounding(QuantityRounding.Mode.ROUND, -1).apply(new BigDecimal("125")))
          .isEqualByComparingTo("130");
      assertThat(QuantityRounding.NONE.apply(q)).isEqualTo(q);
    }

    @Test
    void refusesPrecisionOutOfRange() {
      assertField(() -> new QuantityRounding(QuantityRounding.Mode.ROUND, 13), "rounding");
      assertField(() -> new QuantityRounding(QuantityRounding.Mode.ROUND, -19), "rounding");
      assertField(() -> new QuantityRounding(null, 0), "rounding");
    }

    @Test
    void roundingHappensBeforePricing() {
      Charge c =
          apiCalls(perUnit("1"))
              .withRounding(new QuantityRounding(QuantityRounding.Mode.ROUND, -1));
      ChargeFee fee = c.price(Usage.of(new BigDecimal("123.4567")), FULL);
      assertThat(fee.quantity().toPlainString()).isEqualTo("120");
      assertThat(fee.total()).isEqualByComparingTo("120");
    }
  }

  @Nested
  class Pipeline {
    @Test
    void theJavadocExampleInOrder() {
      Charge c =
          apiCalls(perUnit("0.01"))
              .withRounding(new QuantityRounding(QuantityRounding.Mode.CEIL, -2))
              .withFreeUnits(new BigDecimal("300"))
              .withDiscountPercent(BigDecimal.TEN)
              .withMinimum(new BigDecimal("20"));
      ChargeFee fee = c.price(Usage.of(1250), HALF);
      assertThat(fee.quantity()).isEqualByComparingTo("1300");
      assertThat(fee.billedQuantity()).isEqualByComparingTo("1000");
      assertThat(fee.subtotal()).isEqualByComparingTo("10");
      assertThat(fee.discount()).isEqualByComparingTo("1");
      assertThat(fee.minimumTrueUp()).isEqualByComparingTo("1");
      assertThat(fee.total()).isEqualByComparingTo("10");
    }

    @Test
    void freeUnitsApplyBeforeThePercentageDiscount() {
      // (10 - 4) x 1 = 6, then 50% off: 3. The other order (10 x 50% = 5, less 4 units) gives 1.
      Charge c =
          apiCalls(perUnit("1"))
              .withFreeUnits(new BigDecimal("4"))
              .withDiscountPercent(new BigDecimal("50"));
      ChargeFee fee = c.price(Usage.of(10), FULL);
      assertThat(fee.billedQuantity()).isEqualByComparingTo("6");
      assertThat(fee.discount()).isEqualByComparingTo("3");
      assertThat(fee.total()).isEqualByComparingTo("3");
    }

    @Test
    void freeUnitsNeverGoBelowZero() {
      ChargeFee fee = apiCalls(perUnit("1")).withFreeUnits(BigDecimal.TEN).price(Usage.of(3), FULL);
      assertThat(fee.billedQuantity()).isEqualByComparingTo("0");
      assertThat(fee.total()).isEqualByComparingTo("0");
    }

    @Test
    void freeUnitsBeforeTiers() {
      Charge c =
          apiCalls(
                  GraduatedPrice.of(
                      Tier.perUnit("0", "100", "1", null), Tier.perUnit("100", null, "0.5", null)))
              .withFreeUnits(new BigDecimal("50"));
      assertThat(c.price(Usage.of(200), FULL).total()).isEqualByComparingTo("125");
    }

    @Test
    void onlyAProratedFlatFeeIsProrated() {
      Charge starter = Charge.flat("starter", new FlatPrice(new BigDecimal("29")));
      assertThat(starter.price(Usage.NONE, HALF).total()).isEqualByComparingTo("14.5");
      assertThat(starter.withProrated(false).price(Usage.NONE, HALF).total())
          .isEqualByComparingTo("29");
      assertThat(starter.withDiscountPercent(BigDecimal.TEN).price(Usage.NONE, HALF).total())
          .isEqualByComparingTo("13.05");
      assertThat(apiCalls(perUnit("1")).price(Usage.of(10), HALF).total())
          .isEqualByComparingTo("10");
    }

    @Test
    void aFullDiscountBillsZero() {
      ChargeFee fee =
          apiCalls(perUnit("1"))
              .withDiscountPercent(new BigDecimal("100"))
              .price(Usage.of(7), FULL);
      assertThat(fee.total()).isEqualByComparingTo("0");
    }

    @Test
    void transactionsPassThroughUnrounded() {
      Charge c =
          Charge.usage("payments", "payments", Aggregation.SUM, PercentagePrice.of("1"))
              .withRounding(new QuantityRounding(QuantityRounding.Mode.ROUND, -1));
      ChargeFee fee =
          c.price(new Usage(new BigDecimal("12.5"), List.of(new BigDecimal("12.5"))), FULL);
      assertThat(fee.total()).isEqualByComparingTo("0.125");
    }
  }

  @Nested
  class SpendingMinimum {
    // Lago: $0.010 per tracked user, a spending minimum of $100; "If the total consumption of
    // MTUs for the period is $50, a true-up fee of $50 will be charged."
    // https://docs.getlago.com/guide/plans/charges/spending-minimum
    @Test
    void lagoSpendingMinimumExample() {
      Charge mtu =
          Charge.usage("mtu", "mtu", Aggregation.UNIQUE_COUNT, perUnit("0.010"))
              .withMinimum(new BigDecimal("100"));
      ChargeFee fee = mtu.price(Usage.of(5000), FULL);
      assertThat(fee.subtotal()).isEqualByComparingTo("50");
      assertThat(fee.minimumTrueUp()).isEqualByComparingTo("50");
      assertThat(fee.total()).isEqualByComparingTo("100");
      assertThat(mtu.price(Usage.of(20000), FULL).minimumTrueUp()).isEqualByComparingTo("0");
    }

    // Lago: "Spending minimums and true-up fees are always prorated based on the number of days
    // used in the subscription."
    @Test
    void theMinimumIsProratedForAPartialPeriod() {
      Charge mtu =
          Charge.usage("mtu", "mtu", Aggregation.SUM, perUnit("0.010"))
              .withMinimum(new BigDecimal("100"));
      BigDecimal tenOfThirtyOneDays = new BigDecimal("0.322580645");
      ChargeFee fee = mtu.price(Usage.of(1000), tenOfThirtyOneDays);
      assertThat(fee.minimumTrueUp()).isEqualByComparingTo("22.2580645");
      assertThat(fee.total()).isEqualByComparingTo("32.2580645");
      assertThat(mtu.price(Usage.NONE, BigDecimal.ZERO).total()).isEqualByComparingTo("0");
    }

    @Test
    void theMinimumComparesWithTheDiscountedAmount() {
      Charge c =
          apiCalls(perUnit("1"))
              .withDiscountPercent(new BigDecimal("50"))
              .withMinimum(new BigDecimal("40"));
      ChargeFee fee = c.price(Usage.of(60), FULL);
      assertThat(fee.minimumTrueUp()).isEqualByComparingTo("10");
      assertThat(fee.total()).isEqualByComparingTo("40");
    }
  }

  @Nested
  class BadCharges {
    @Test
    void refusesRulesBroken() {
      assertField(
          () -> Charge.flat("base", new FlatPrice(BigDecimal.TEN)).withMinimum(BigDecimal.ONE),
          "minimum",
          "usage charge");
      assertField(
          () ->
              Charge.usage(
                  "seats", "seats", Aggregation.SUM, CapacityPrice.of(CapacityTier.of(null, "1"))),
          "aggregation",
          "MAX");
      assertField(
          () -> Charge.usage("llm", "llm", Aggregation.MAX, DynamicPrice.of()),
          "aggregation",
          "SUM");
      assertField(
          () ->
              Charge.usage("pay", "pay", Aggregation.SUM, PercentagePrice.of("1"))
                  .withFreeUnits(BigDecimal.ONE),
          "free_units");
      assertField(
          () -> apiCalls(perUnit("1")).withDiscountPercent(new BigDecimal("100.5")),
          "discount_percent");
      assertField(() -> apiCalls(perUnit("1")).withMinimum(new BigDecimal("-1")), "minimum");
      assertField(() -> apiCalls(perUnit("1")).withFreeUnits(new BigDecimal("-1")), "free_units");
      assertField(
          () -> apiCalls(perUnit("1")).price(Usage.of(1), new BigDecimal("1.01")),
          "periodFraction");
      assertField(() -> apiCalls(perUnit("1")).price(Usage.of(1), null), "periodFraction");
      assertField(() -> apiCalls(perUnit("1")).withTiming(ChargeTiming.ADVANCE), "timing");
      assertField(() -> apiCalls(null), "model");
      assertField(() -> Charge.flat("Bad Code", new FlatPrice(BigDecimal.ONE)), "code");
    }

    @Test
    void capacityAndDynamicWithTheirAggregation() {
      Charge seats =
          Charge.usage(
              "seats",
              "seats",
              Aggregation.MAX,
              CapacityPrice.of(CapacityTier.of("10", "100"), CapacityTier.of(null, "400")));
      assertThat(seats.price(Usage.of(12), FULL).total()).isEqualByComparingTo("400");
      Charge llm =
          Charge.usage("llm", "llm_cost", Aggregation.SUM, new DynamicPrice(new BigDecimal("1.2")));
      assertThat(llm.price(Usage.of(new BigDecimal("3.45")), FULL).total())
          .isEqualByComparingTo("4.14");
    }
  }
}
