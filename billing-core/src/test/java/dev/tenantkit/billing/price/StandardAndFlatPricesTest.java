package dev.tenantkit.billing.price;

import static dev.tenantkit.billing.price.TieredPricesTest.assertField;
import static dev.tenantkit.billing.price.TieredPricesTest.bill;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class StandardAndFlatPricesTest {

  // Lago: "If a customer makes 1,000 API calls during the billing period, the total invoice
  // amount will be $0.05 x 1,000 API calls = $50."
  // https://docs.getlago.com/guide/plans/charges/charge-models/standard
  @Test
  void lagoStandardExample() {
    assertThat(bill(new StandardPrice(new BigDecimal("0.05")), "1000")).isEqualByComparingTo("50");
  }

  // OpenMeter: "charge customers $0.01 per AI token used. If this customer uses 10,000 tokens,
  // they will be charged $0.01 * 10,000 = $100."
  // https://openmeter.io/docs/billing/product-catalog/pricing-models
  @Test
  void openMeterPerUnitExample() {
    assertThat(bill(new StandardPrice(new BigDecimal("0.01")), "10000"))
        .isEqualByComparingTo("100");
  }

  @Test
  void keepsTwelveDecimalsAndPricesZero() {
    StandardPrice tiny = new StandardPrice(new BigDecimal("0.0001"));
    assertThat(bill(tiny, "1250")).isEqualByComparingTo("0.125");
    assertThat(bill(tiny, "0")).isEqualByComparingTo("0");
    assertThat(bill(new StandardPrice(new BigDecimal("0.000000000001")), "0.4"))
        .isEqualByComparingTo("0");
    assertThat(bill(new StandardPrice(new BigDecimal("0.000000000001")), "0.5"))
        .isEqualByComparingTo("0.000000000001");
  }

  @Test
  void flatIgnoresUsage() {
    FlatPrice starter = new FlatPrice(new BigDecimal("29"));
    assertThat(bill(starter, "0")).isEqualByComparingTo("29");
    assertThat(bill(starter, "1000")).isEqualByComparingTo("29");
  }

  @Test
  void refusesNegativePrices() {
    assertField(() -> new StandardPrice(new BigDecimal("-0.01")), "unit_price");
    assertField(() -> new StandardPrice(null), "unit_price");
    assertField(() -> new FlatPrice(new BigDecimal("-1")), "amount");
  }
}
