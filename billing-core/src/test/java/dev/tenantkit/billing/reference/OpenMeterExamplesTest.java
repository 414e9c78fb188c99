package dev.tenantkit.billing.reference;

import static dev.tenantkit.billing.reference.Reference.bill;
import static dev.tenantkit.billing.reference.Reference.charge;
import static dev.tenantkit.billing.reference.Reference.model;
import static dev.tenantkit.billing.reference.Reference.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.PriceModel;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * OpenMeter's worked examples fed to our models in their catalog JSON form. The pricing-models page
 * is https://openmeter.io/docs/billing/product-catalog/pricing-models; the copy in our search
 * corpus stops inside the graduated table (rows "0 | 1000 | $0.3 | $0" and "1001 ..."), so the
 * worked totals are read from the same page as Kong publishes it for Konnect Metering & Billing
 * (OpenMeter under Kong's name): https://developer.konghq.com/metering-and-billing/pricing-models/
 * (source: Kong/developer.konghq.com, app/metering-and-billing/pricing-models.md). OpenMeter's
 * tiers "0-1000, 1001-5000, 5001-∞" are {@code up_to} 1000, 5000 and open here.
 */
class OpenMeterExamplesTest {

  private static final String TIERS =
      "'tiers':[{'up_to':'1000','unit_price':'0.3'},{'up_to':'5000','unit_price':'0.2'},"
          + "{'unit_price':'0.1'}]";

  @Nested
  class PricingModels {

    // "you could charge customers $0.01 per AI token used. If a customer uses 10,000 tokens, they
    // would be charged: $0.01 × 10,000 = $100"
    @Test
    void perUnit() {
      assertThat(bill(model("{'type':'standard','unit_price':'0.01'}"), "10000"))
          .isEqualByComparingTo("100");
    }

    // Graduated: "a customer with 6,000 units would be charged as: (1000 × $0.3) + (4000 × $0.2) +
    // (1000 × $0.1) = $300 + $800 + $100 = $1,200"
    @Test
    void graduated() {
      assertThat(bill(model("{'type':'graduated'," + TIERS + "}"), "6000"))
          .isEqualByComparingTo("1200");
    }

    // Volume: "a customer with 6,000 units would reach the unit price tier of $0.1, so they would
    // be charged: 6,000 × $0.1 = $600"
    @Test
    void volume() {
      assertThat(bill(model("{'type':'volume'," + TIERS + "}"), "6000"))
          .isEqualByComparingTo("600");
    }

    // "Flat prices in tiers": 0-1000 at $0 with a $500 flat price, 1001-∞ at $0.1: "a customer
    // that uses 2,000 units would be charged as: (1000 * $0 + $500) + (1000 * $0.1 + $0) = $500 +
    // $100 = $600", and "Tiers start from 0, so defining a flat fee in the first tier will always
    // cause the customer to be billed, regardless of usage. For example, if you have a flat fee of
    // $500 in the first tier, the total amount will be $500 when the quantity is 0."
    @Test
    void aFirstTierFlatFeeIsBilledAtZero() {
      PriceModel m =
          model(
              "{'type':'graduated','tiers':[{'up_to':'1000','unit_price':'0','flat_fee':'500'},"
                  + "{'unit_price':'0.1'}]}");
      assertThat(bill(m, "2000")).isEqualByComparingTo("600");
      assertThat(bill(m, "0")).isEqualByComparingTo("500");
    }

    // Same section: "To bill $0 when there's no usage, set the unit price for the first tier and
    // omit the flat price": 0-1 at $500 a unit, 2-1000 at $0, 1001-∞ at $0.1; 2,000 units "(1 *
    // $500 + $0) + (999 * $0 + $0) + (1000 * $0.1 + $0) = $500 + $0 + $100 = $600", and "if this
    // customer uses 0 units ... = $0".
    @Test
    void aFirstTierUnitPriceBillsNothingAtZero() {
      PriceModel m =
          model(
              "{'type':'graduated','tiers':[{'up_to':'1','unit_price':'500'},"
                  + "{'up_to':'1000','unit_price':'0'},{'unit_price':'0.1'}]}");
      assertThat(bill(m, "2000")).isEqualByComparingTo("600");
      assertThat(bill(m, "0")).isEqualByComparingTo("0");
    }

    // Package, "a package size of 20 units and a price of $10 per package": "0 units ... $0", "20
    // units ... 1 package × $10 ... $10", "20.1 units ... 2 packages × $10 ... $20", "98 units ...
    // 5 packages × $10 ... $50"; "Any usage of a positive value will be rounded up to the next
    // closest package, while zero usage won't generate any charge."
    @Test
    void packageRoundsUpAnyPositiveUsage() {
      PriceModel m = model("{'type':'package','package_size':'20','amount':'10'}");
      assertThat(bill(m, "0")).isEqualByComparingTo("0");
      assertThat(bill(m, "20")).isEqualByComparingTo("10");
      assertThat(bill(m, "20.1")).isEqualByComparingTo("20");
      assertThat(bill(m, "98")).isEqualByComparingTo("50");
    }

    // Dynamic, "Markup rate": "examples with a base price of $100": rate 0.0 "$0", 0.5 "$50", 1.0
    // "$100", 1.5 "$150", 2.0 "$200".
    @Test
    void dynamicMarkup() {
      String[][] rows = {
        {"0.0", "0"}, {"0.5", "50"}, {"1.0", "100"}, {"1.5", "150"}, {"2.0", "200"}
      };
      for (String[] row : rows) {
        assertThat(bill(model("{'type':'dynamic','multiplier':'" + row[0] + "'}"), "100"))
            .as("markup %s", row[0])
            .isEqualByComparingTo(row[1]);
      }
    }
  }

  @Nested
  class Discounts {

    // "Overage fees": "if a customer's metered usage is 1,000 units, the usage discount is 900
    // units, and the per-unit price is $0.1, they will be charged: (1000 - 900) × $0.1 = 100 ×
    // $0.1 = $10"; "Usage discounts are applied before percentage discounts": with 10% off "(1000
    // - 900) × $0.1 × (100% - 10%) = 100 × $0.1 × 0.9 = $9". The order is also the invoicing
    // engine's (https://openmeter.io/docs/billing/invoicing/discounts): "Usage discount's value is
    // deducted from the usage based line's measured quantity", "Pricing algorithm is invoked",
    // "Percentage discounts are deducted", "Minimum and maximum spend is applied".
    @Test
    void usageDiscountBeforePercentageDiscount() {
      Charge overage =
          charge(
              "USD",
              "{'code':'overage','meter':'requests','aggregation':'sum',"
                  + "'price':{'type':'standard','unit_price':'0.1'},'free_units':'900'}");
      assertThat(price(overage, "1000").total()).isEqualByComparingTo("10");
      Charge discounted =
          charge(
              "USD",
              "{'code':'overage','meter':'requests','aggregation':'sum',"
                  + "'price':{'type':'standard','unit_price':'0.1'},'free_units':'900',"
                  + "'discount_percent':'10'}");
      ChargeFee fee = price(discounted, "1000");
      assertThat(fee.billedQuantity()).isEqualByComparingTo("100");
      assertThat(fee.discount()).isEqualByComparingTo("1");
      assertThat(fee.total()).isEqualByComparingTo("9");
    }

    // https://openmeter.io/docs/billing/invoicing/discounts, usage discounts with progressive
    // billing: "if a line has 500 usage discount, billed in 3 parts with quantities, 300, 250,
    // 100, then: Invoice 1's line will have a quantity of 0, remaining discount amount is 200;
    // Invoice 2's line will have a quantity of 50, remaining discount amount is 0; Invoice 3's
    // line will have a quantity of 100". Our progressive invoices bill the period's usage so far
    // less what earlier ones billed (docs/billing.md, Progressive billing), so each part's
    // quantity is the billed quantity so far less the one before.
    @Test
    void aUsageDiscountSpreadOverProgressiveInvoices() {
      Charge c =
          charge(
              "USD",
              "{'code':'tokens','meter':'tokens','aggregation':'sum',"
                  + "'price':{'type':'standard','unit_price':'1'},'free_units':'500'}");
      ChargeFee first = price(c, "300");
      ChargeFee second = price(c, "550");
      ChargeFee third = price(c, "650");
      assertThat(first.billedQuantity()).isEqualByComparingTo("0");
      assertThat(second.billedQuantity().subtract(first.billedQuantity()))
          .isEqualByComparingTo("50");
      assertThat(third.billedQuantity().subtract(second.billedQuantity()))
          .isEqualByComparingTo("100");
    }
  }
}
