package dev.tenantkit.billing.price;

import static dev.tenantkit.billing.price.TieredPricesTest.assertField;
import static dev.tenantkit.billing.price.TieredPricesTest.bill;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PercentagePricesTest {

  static List<BigDecimal> amounts(String... values) {
    return Arrays.stream(values).map(BigDecimal::new).toList();
  }

  static BigDecimal billTransactions(PriceModel model, String... values) {
    return model.price(Usage.transactions(amounts(values))).amount();
  }

  static PercentagePrice percentage(
      String rate, String fixed, int freeTx, String freeAmount, String min, String max) {
    return new PercentagePrice(
        new BigDecimal(rate),
        fixed == null ? null : new BigDecimal(fixed),
        freeTx,
        freeAmount == null ? null : new BigDecimal(freeAmount),
        min == null ? null : new BigDecimal(min),
        max == null ? null : new BigDecimal(max));
  }

  @Nested
  class Percentage {
    // Lago: 1.2% + $0.10 per transaction, the first 3 events or $500 free; transactions of $200,
    // $100, $100 are free, "for the fourth transaction, the charge will be $0.10 x 1 event + 1.2%
    // of $50 = $0.70". https://docs.getlago.com/guide/plans/charges/charge-models/percentage
    @Test
    void lagoPercentageExample() {
      PercentagePrice lago = percentage("1.2", "0.10", 3, "500", null, null);
      assertThat(billTransactions(lago, "200")).isEqualByComparingTo("0");
      assertThat(billTransactions(lago, "200", "100", "100")).isEqualByComparingTo("0");
      assertThat(billTransactions(lago, "200", "100", "100", "50")).isEqualByComparingTo("0.70");
    }

    // Lago's product update on per-transaction minimum and maximum: 1% + $0.50, minimum $1,
    // maximum $5: "A $20 transaction will cost $1 ($20 x 1% + $0.50 = $0.70, so the minimum
    // applies)" and "A $600 transaction will cost $5 ($600 x 1% + $0.50 = $6.50, so the maximum
    // applies)". https://d376nw0erossg9.cloudfront.net/updates-25.html (changelog:
    // https://getlago.com/changelog/minimum-maximum-price-per-transaction)
    @Test
    void lagoPerTransactionMinimumAndMaximumExample() {
      PercentagePrice lago = percentage("1", "0.50", 0, null, "1", "5");
      assertThat(billTransactions(lago, "20")).isEqualByComparingTo("1");
      assertThat(billTransactions(lago, "600")).isEqualByComparingTo("5");
      assertThat(billTransactions(lago, "20", "600", "200")).isEqualByComparingTo("8.50");
      Fee fee = lago.price(Usage.transactions(amounts("20", "600")));
      assertThat(fee.steps())
          .extracting(FeeStep::label)
          .containsExactly(
              "1% of the amount",
              "fixed fee per transaction",
              "raised to the minimum per transaction",
              "cut to the maximum per transaction");
    }

    @Test
    void freeAmountOnlyChargesThePartAboveIt() {
      PercentagePrice p = percentage("2", "0.30", 0, "100", null, null);
      assertThat(billTransactions(p, "60", "30")).isEqualByComparingTo("0");
      // 60 + 70 crosses 100 by 30: 2% x 30 + 0.30.
      assertThat(billTransactions(p, "60", "70")).isEqualByComparingTo("0.90");
      assertThat(billTransactions(p, "60", "70", "10")).isEqualByComparingTo("1.40");
    }

    @Test
    void freeTransactionsOnlyAreFreeEntirely() {
      PercentagePrice p = percentage("2", "0.30", 2, null, "1", null);
      assertThat(billTransactions(p, "1000", "1000")).isEqualByComparingTo("0");
      assertThat(billTransactions(p, "1000", "1000", "10")).isEqualByComparingTo("1");
    }

    @Test
    void theAllowanceEndsWithTheFreeAmountToo() {
      PercentagePrice p = percentage("1", "0.10", 5, "100", null, null);
      // The second transaction crosses 100: it pays on 50 (and its fixed fee); the third is out.
      assertThat(billTransactions(p, "80", "70", "10")).isEqualByComparingTo("0.80");
    }

    @Test
    void zeroAndBadUsage() {
      PercentagePrice p = PercentagePrice.of("1.5");
      assertThat(p.pricesTransactions()).isTrue();
      assertThat(p.price(Usage.NONE).amount()).isEqualByComparingTo("0");
      assertThat(billTransactions(p, "0", "0")).isEqualByComparingTo("0");
      assertThat(billTransactions(p, "0.01")).isEqualByComparingTo("0.00015");
      assertField(() -> p.price(Usage.of(10)), "transactions");
      assertField(() -> p.price(Usage.transactions(amounts("1", "-2"))), "transactions[1]");
    }

    @Test
    void refusesBadConfiguration() {
      assertField(() -> PercentagePrice.of("100.01"), "rate", "0 to 100");
      assertField(() -> PercentagePrice.of("-1"), "rate");
      assertField(() -> percentage("1", "-0.1", 0, null, null, null), "fixed_fee");
      assertField(() -> percentage("1", null, -1, null, null, null), "free_transactions");
      assertField(() -> percentage("1", null, 0, "-1", null, null), "free_amount");
      assertField(() -> percentage("1", null, 0, null, "5", "1"), "min_per_transaction", "at most");
      assertField(() -> percentage("1", null, 0, null, null, "-1"), "max_per_transaction");
      assertThat(PercentagePrice.of("100").rate()).isEqualByComparingTo("100");
    }
  }

  @Nested
  class GraduatedPercentage {
    // Lago: tiers 0-1,000 at 1% + $200, 1,001-10,000 at 2% + $300, 10,001-∞ at 3% + $400;
    // transactions of $500, $550 and $4,000 cost $205.00, $306.00 and $80.00.
    // https://docs.getlago.com/guide/plans/charges/charge-models/graduated-percentage (the v2
    // page bills the total of 5,050 USD 591 USD:
    // https://getlago.com/docs/v2/guide/rate-cards/pricing-models/graduated-percentage)
    final GraduatedPercentagePrice lago =
        GraduatedPercentagePrice.of(
            RateTier.of("0", "1000", "1", "200"),
            RateTier.of("1000", "10000", "2", "300"),
            RateTier.of("10000", null, "3", "400"));

    @Test
    void lagoGraduatedPercentageExample() {
      assertThat(bill(lago, "500")).isEqualByComparingTo("205");
      assertThat(bill(lago, "1050").subtract(bill(lago, "500"))).isEqualByComparingTo("306");
      assertThat(bill(lago, "5050").subtract(bill(lago, "1050"))).isEqualByComparingTo("80");
      assertThat(bill(lago, "5050")).isEqualByComparingTo("591");
    }

    @Test
    void zeroBoundsAndFractions() {
      assertThat(bill(lago, "0")).isEqualByComparingTo("0");
      assertThat(bill(lago, "1000")).isEqualByComparingTo("210");
      assertThat(bill(lago, "1000.5")).isEqualByComparingTo("510.01");
      assertThat(bill(lago, "10001")).isEqualByComparingTo("1090.03");
    }

    @Test
    void refusesBadTiers() {
      assertField(() -> RateTier.of("0", null, "101", null), "rate");
      assertField(() -> RateTier.of("0", null, "1", "-1"), "flat_fee");
      assertField(
          () ->
              GraduatedPercentagePrice.of(
                  RateTier.of("0", "10", "1", null), RateTier.of("11", null, "1", null)),
          "tiers[1].from",
          "gap");
      assertField(
          () -> GraduatedPercentagePrice.of(RateTier.of("5", null, "1", null)), "tiers[0].from");
    }
  }
}
