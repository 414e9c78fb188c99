package dev.tenantkit.billing.price;

import static dev.tenantkit.billing.price.TieredPricesTest.assertField;
import static dev.tenantkit.billing.price.TieredPricesTest.bill;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class DynamicAndCapacityPricesTest {

  // Lago: events of $0.70, $0.55 and $2.20 make one fee of $3.45 (its table: 22 units, $3.45).
  // https://docs.getlago.com/guide/plans/charges/charge-models/dynamic
  @Test
  void lagoDynamicExample() {
    BigDecimal summed =
        new BigDecimal("0.70").add(new BigDecimal("0.55")).add(new BigDecimal("2.20"));
    assertThat(DynamicPrice.of().price(Usage.of(summed)).amount()).isEqualByComparingTo("3.45");
  }

  // The v2 page: "70 + 55 = 125 cents", 1.25 USD.
  // https://getlago.com/docs/v2/guide/rate-cards/pricing-models/dynamic
  @Test
  void lagoDynamicV2Example() {
    assertThat(bill(DynamicPrice.of(), "1.25")).isEqualByComparingTo("1.25");
  }

  @Test
  void multiplierMarksUp() {
    DynamicPrice markUp = new DynamicPrice(new BigDecimal("1.2"));
    assertThat(bill(markUp, "3.45")).isEqualByComparingTo("4.14");
    assertThat(bill(markUp, "0")).isEqualByComparingTo("0");
    assertThat(bill(new DynamicPrice(BigDecimal.ZERO), "10")).isEqualByComparingTo("0");
    assertField(() -> new DynamicPrice(new BigDecimal("-0.1")), "multiplier");
  }

  final CapacityPrice seats =
      CapacityPrice.of(
          CapacityTier.of("10", "100"),
          CapacityTier.of("50", "400"),
          CapacityTier.of(null, "1000"));

  @Test
  void capacityBillsTheTierOfThePeak() {
    assertThat(bill(seats, "0")).isEqualByComparingTo("0");
    assertThat(bill(seats, "1")).isEqualByComparingTo("100");
    assertThat(bill(seats, "10")).isEqualByComparingTo("100");
    assertThat(bill(seats, "10.5")).isEqualByComparingTo("400");
    assertThat(bill(seats, "50")).isEqualByComparingTo("400");
    assertThat(bill(seats, "51")).isEqualByComparingTo("1000");
    assertThat(seats.price(Usage.of(51)).steps().get(0).label())
        .isEqualTo("capacity tier 3 (peak above)");
  }

  @Test
  void refusesBadCapacityTiers() {
    assertField(() -> CapacityPrice.of(), "tiers");
    assertField(() -> CapacityPrice.of(CapacityTier.of("10", "1")), "tiers[0].up_to", "open-ended");
    assertField(
        () ->
            CapacityPrice.of(
                CapacityTier.of("10", "1"), CapacityTier.of("10", "2"), CapacityTier.of(null, "3")),
        "tiers[1].up_to",
        "overlaps");
    assertField(
        () -> CapacityPrice.of(CapacityTier.of(null, "1"), CapacityTier.of(null, "2")),
        "tiers[0].up_to");
    assertField(() -> CapacityTier.of("10", "-1"), "price");
    assertField(() -> CapacityTier.of("-10", "1"), "up_to");
  }
}
