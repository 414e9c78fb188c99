package dev.tenantkit.billing.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TieredPricesTest {

  static BigDecimal bill(PriceModel model, String quantity) {
    return model.price(Usage.of(new BigDecimal(quantity))).amount();
  }

  /** Stripe's Typographic tiers: fonts 1-5 at 7, 6-10 at 6.5, 11+ at 6. */
  static Tier[] stripeTiers() {
    return new Tier[] {
      Tier.perUnit("0", "5", "7", null),
      Tier.perUnit("5", "10", "6.5", null),
      Tier.perUnit("10", null, "6", null)
    };
  }

  @Nested
  class Graduated {
    // Lago: $1 per unit for the first 100 units, $0.50 for the next 100, $0.10 after that.
    // https://docs.getlago.com/guide/plans/charges/charge-models/graduated (and the v2 page's
    // "250 API calls ... 155 USD":
    // https://getlago.com/docs/v2/guide/rate-cards/pricing-models/graduated)
    final GraduatedPrice lago =
        GraduatedPrice.of(
            Tier.perUnit("0", "100", "1", null),
            Tier.perUnit("100", "200", "0.50", null),
            Tier.perUnit("200", null, "0.10", null));

    @Test
    void lagoGraduatedExample() {
      assertThat(bill(lago, "250")).isEqualByComparingTo("155");
      assertThat(bill(lago, "100")).isEqualByComparingTo("100");
      assertThat(bill(lago, "200")).isEqualByComparingTo("150");
    }

    // https://docs.stripe.com/products-prices/pricing-models#tiered-pricing: "5 fonts result in
    // the same charge as volume-based pricing: 35 USD"; 6, 20 and 25 follow the page's rule
    // ("the quantity is multiplied by the amount for each tier and the totals ... summed").
    @Test
    void stripeGraduatedExample() {
      GraduatedPrice stripe = GraduatedPrice.of(stripeTiers());
      assertThat(bill(stripe, "1")).isEqualByComparingTo("7");
      assertThat(bill(stripe, "5")).isEqualByComparingTo("35");
      assertThat(bill(stripe, "6")).isEqualByComparingTo("41.5");
      assertThat(bill(stripe, "20")).isEqualByComparingTo("127.5");
      assertThat(bill(stripe, "25")).isEqualByComparingTo("157.5");
    }

    @Test
    void zeroBillsOnlyTheFirstTiersFlatFee() {
      // OpenMeter: "Tiers start from 0, so defining a flat fee in the first tier will always cause
      // the customer to be billed, regardless of usage" (the reference tests quote the page).
      GraduatedPrice withFlat =
          GraduatedPrice.of(
              Tier.perUnit("0", "10", "0.5", "10"), Tier.perUnit("10", null, "0.4", "3"));
      Fee fee = withFlat.price(Usage.of(0));
      assertThat(fee.amount()).isEqualByComparingTo("10");
      assertThat(fee.steps()).hasSize(1);
      assertThat(fee.steps().get(0).units()).isEqualByComparingTo("0");
      assertThat(bill(withFlat, "0.001")).isEqualByComparingTo("10.0005");
      GraduatedPrice noFlat =
          GraduatedPrice.of(
              Tier.perUnit("0", "10", "0.5", null), Tier.perUnit("10", null, "0.4", "3"));
      assertThat(noFlat.price(Usage.of(0)).amount()).isEqualByComparingTo("0");
      assertThat(noFlat.price(Usage.of(0)).steps()).isEmpty();
    }

    @Test
    void flatFeeOfEveryTierReached() {
      GraduatedPrice p =
          GraduatedPrice.of(
              Tier.perUnit("0", "100", "0.1", "2"), Tier.perUnit("100", null, "0.05", "3"));
      assertThat(bill(p, "100")).isEqualByComparingTo("12"); // 2 + 100 x 0.1; tier 2 not entered
      assertThat(bill(p, "101")).isEqualByComparingTo("15.05");
      Fee fee = p.price(Usage.of(150));
      assertThat(fee.steps()).hasSize(2);
      assertThat(fee.steps().get(1).label()).isEqualTo("tier 2 (100 to ∞)");
      assertThat(fee.steps().get(1).units()).isEqualByComparingTo("50");
      assertThat(fee.steps().get(1).amount()).isEqualByComparingTo("5.5");
    }

    @Test
    void fractionalQuantityIsSplitAtTheBound() {
      // Lago's tiers 0-100 and 101-∞ are (0, 100] and (100, ∞) here: 100.5 is 100 + 0.5, the
      // same as Lago's "value - from_value + 1" = 100.5 - 101 + 1.
      GraduatedPrice p =
          GraduatedPrice.of(
              Tier.perUnit("0", "100", "1", null), Tier.perUnit("100", null, "0.5", "1"));
      Fee fee = p.price(Usage.of(new BigDecimal("100.5")));
      assertThat(fee.amount()).isEqualByComparingTo("101.25");
      assertThat(fee.steps().get(0).units()).isEqualByComparingTo("100");
      assertThat(fee.steps().get(1).units()).isEqualByComparingTo("0.5");
      assertThat(bill(p, "99.999")).isEqualByComparingTo("99.999");
    }

    @Test
    void tieredBlocksRoundEachTiersBlocksUp() {
      // Kill Bill ALL_TIERS: per tier, ceil(remaining / size) blocks, at most max blocks, the rest
      // to the next tier (ContiguousIntervalConsumableUsageInArrear). Tier 1: 10 blocks of 100 at
      // 5, tier 2: blocks of 1,000 at 20.
      GraduatedPrice blocks =
          GraduatedPrice.of(
              Tier.perBlock("0", "1000", "100", "5"), Tier.perBlock("1000", null, "1000", "20"));
      assertThat(bill(blocks, "1")).isEqualByComparingTo("5");
      assertThat(bill(blocks, "100")).isEqualByComparingTo("5");
      assertThat(bill(blocks, "101")).isEqualByComparingTo("10");
      assertThat(bill(blocks, "1000")).isEqualByComparingTo("50");
      assertThat(bill(blocks, "1000.5")).isEqualByComparingTo("70");
      assertThat(bill(blocks, "2001")).isEqualByComparingTo("90");
      assertThat(bill(blocks, "0")).isEqualByComparingTo("0");
      assertThat(blocks.price(Usage.of(2001)).steps().get(1).units()).isEqualByComparingTo("2");
    }

    @Test
    void killBillChocolateVideosTiers() {
      // https://docs.killbill.io/latest/consumable_in_arrear.html: "The first 5 videos ... at
      // $2/video, the next videos ... at $1/video" (tiers of blocks of size 1).
      GraduatedPrice videos =
          GraduatedPrice.of(Tier.perBlock("0", "5", "1", "2"), Tier.perBlock("5", null, "1", "1"));
      assertThat(bill(videos, "3")).isEqualByComparingTo("6");
      assertThat(bill(videos, "8")).isEqualByComparingTo("13");
    }
  }

  @Nested
  class Volume {
    // Lago's volume page: 65,000 API calls would cost 65,000 x $0.0006 + $10 = $49.
    // https://docs.getlago.com/guide/plans/charges/charge-models/volume
    @Test
    void lagoVolumeExample() {
      VolumePrice lago =
          VolumePrice.of(
              Tier.perUnit("0", "10000", "0.0010", "10"),
              Tier.perUnit("10000", "50000", "0.0008", "10"),
              Tier.perUnit("50000", "100000", "0.0006", "10"),
              Tier.perUnit("100000", null, "0.0004", "10"));
      assertThat(bill(lago, "65000")).isEqualByComparingTo("49");
    }

    // https://docs.stripe.com/products-prices/pricing-models#tiered-pricing, volume table:
    // 1 -> 7, 5 -> 35, 6 -> 39, 20 -> 120, 25 -> 150 USD.
    @Test
    void stripeVolumeExample() {
      VolumePrice stripe = VolumePrice.of(stripeTiers());
      assertThat(bill(stripe, "1")).isEqualByComparingTo("7");
      assertThat(bill(stripe, "5")).isEqualByComparingTo("35");
      assertThat(bill(stripe, "6")).isEqualByComparingTo("39");
      assertThat(bill(stripe, "20")).isEqualByComparingTo("120");
      assertThat(bill(stripe, "25")).isEqualByComparingTo("150");
    }

    @Test
    void boundsZeroAndFractions() {
      VolumePrice p =
          VolumePrice.of(Tier.perUnit("0", "100", "1", "5"), Tier.perUnit("100", null, "0.5", "7"));
      // Zero is in the first tier: its flat fee only (OpenMeter's rule, as for graduated tiers).
      assertThat(p.price(Usage.of(0)).amount()).isEqualByComparingTo("5");
      assertThat(p.price(Usage.of(0)).steps()).hasSize(1);
      VolumePrice noFlat =
          VolumePrice.of(
              Tier.perUnit("0", "100", "1", null), Tier.perUnit("100", null, "0.5", "7"));
      assertThat(noFlat.price(Usage.of(0)).steps()).isEmpty();
      assertThat(bill(p, "100")).isEqualByComparingTo("105");
      assertThat(bill(p, "100.5")).isEqualByComparingTo("57.25");
      assertThat(bill(p, "0.5")).isEqualByComparingTo("5.5");
    }

    @Test
    void tieredBlocksCountTheWholeQuantityAtTheTopTier() {
      // Kill Bill TOP_TIER: ceil(units / size of the tier reached) x that tier's block price.
      VolumePrice blocks =
          VolumePrice.of(
              Tier.perBlock("0", "1000", "100", "5"), Tier.perBlock("1000", null, "1000", "30"));
      assertThat(bill(blocks, "250")).isEqualByComparingTo("15");
      assertThat(bill(blocks, "1000")).isEqualByComparingTo("50");
      assertThat(bill(blocks, "1001")).isEqualByComparingTo("60");
    }
  }

  @Nested
  class BadTiers {
    @Test
    void refusesTiersThatDoNotCoverEveryQuantityOnce() {
      assertField(() -> GraduatedPrice.of(), "tiers");
      assertField(() -> new GraduatedPrice(List.of()), "tiers");
      assertField(
          () -> GraduatedPrice.of(Tier.perUnit("1", null, "1", null)),
          "tiers[0].from",
          "starts at 0");
      assertField(
          () ->
              GraduatedPrice.of(
                  Tier.perUnit("0", "100", "1", null), Tier.perUnit("101", null, "1", null)),
          "tiers[1].from",
          "gap");
      assertField(
          () ->
              VolumePrice.of(
                  Tier.perUnit("0", "100", "1", null), Tier.perUnit("90", null, "1", null)),
          "tiers[1].from",
          "overlaps");
      assertField(
          () ->
              VolumePrice.of(
                  Tier.perUnit("0", null, "1", null), Tier.perUnit("0", null, "1", null)),
          "tiers[0].up_to",
          "open-ended");
      assertField(
          () -> VolumePrice.of(Tier.perUnit("0", "100", "1", null)),
          "tiers[0].up_to",
          "open-ended");
    }

    @Test
    void refusesBadTiers() {
      assertField(() -> Tier.perUnit("0", "100", "-1", null), "unit_price");
      assertField(() -> Tier.perUnit("0", "100", "1", "-2"), "flat_fee");
      assertField(() -> Tier.perUnit("-1", "100", "1", null), "from");
      assertField(() -> Tier.perUnit("100", "100", "1", null), "up_to");
      assertField(() -> Tier.perBlock("0", "100", "0", "1"), "block_size");
      assertField(
          () -> Tier.perBlock("0", "150", "100", "1"), "block_size", "whole number of blocks");
      assertField(() -> Tier.perBlock("0", "100", "100", "-1"), "block_price");
    }
  }

  static void assertField(Runnable r, String field) {
    assertField(r, field, "");
  }

  static void assertField(Runnable r, String field, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field))
        .hasMessageContaining(message);
  }
}
