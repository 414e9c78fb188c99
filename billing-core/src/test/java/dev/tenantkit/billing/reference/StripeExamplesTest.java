package dev.tenantkit.billing.reference;

import static dev.tenantkit.billing.reference.Reference.bill;
import static dev.tenantkit.billing.reference.Reference.model;
import static dev.tenantkit.billing.reference.Reference.money;
import static dev.tenantkit.billing.reference.Reference.plan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Stripe Billing's worked examples fed to our models in their catalog JSON form. Stripe's tiers
 * "1-5, 6-10, 11+" are {@code up_to} 5, 10 and open here (its {@code up_to} is inclusive, as ours).
 */
class StripeExamplesTest {

  /** Typographic's fonts: 1-5 at 7 USD, 6-10 at 6.50 USD, 11 and more at 6 USD. */
  private static final String FONT_TIERS =
      "'tiers':[{'up_to':'5','unit_price':'7'},{'up_to':'10','unit_price':'6.50'},"
          + "{'unit_price':'6'}]";

  @Nested
  class Tiers {

    // https://docs.stripe.com/products-prices/pricing-models#tiered-pricing, volume-based:
    // "Typographic bills all fonts at the 6-10 rate" for 6 fonts; the page's table: 1 font 7 USD,
    // 5 fonts 35 USD, 6 fonts 39 USD, 20 fonts 120 USD, 25 fonts 150 USD.
    @Test
    void volume() {
      PriceModel m = model("{'type':'volume'," + FONT_TIERS + "}");
      assertThat(bill(m, "1")).isEqualByComparingTo("7");
      assertThat(bill(m, "5")).isEqualByComparingTo("35");
      assertThat(bill(m, "6")).isEqualByComparingTo("39");
      assertThat(bill(m, "20")).isEqualByComparingTo("120");
      assertThat(bill(m, "25")).isEqualByComparingTo("150");
    }

    // Same page, graduated: "5 fonts result in the same charge as volume-based pricing: 35 USD";
    // beyond that "the quantity is multiplied by the amount for each tier and the totals for each
    // tier are summed together": 6 fonts 35 + 6.50 = 41.50, 20 fonts 35 + 32.50 + 60 = 127.50,
    // 25 fonts 157.50 (these three are the rule applied, not read from the page's table).
    @Test
    void graduated() {
      PriceModel m = model("{'type':'graduated'," + FONT_TIERS + "}");
      assertThat(bill(m, "5")).isEqualByComparingTo("35");
      assertThat(bill(m, "6")).isEqualByComparingTo("41.50");
      assertThat(bill(m, "20")).isEqualByComparingTo("127.50");
      assertThat(bill(m, "25")).isEqualByComparingTo("157.50");
    }
  }

  @Nested
  class QuantityTransformation {

    // https://stripe.com/docs/billing/subscriptions/quantity-transformation: "$10 for every 5
    // users (or portion thereof)" (transform_quantity divide_by 5, round up): 1, 3 or 5 users bill
    // $10, 6 or 7 users $20. Our package model: a started package is billed in full.
    @Test
    void perFiveUsersRoundedUp() {
      PriceModel m = model("{'type':'package','package_size':'5','amount':'10'}");
      assertThat(bill(m, "1")).isEqualByComparingTo("10");
      assertThat(bill(m, "3")).isEqualByComparingTo("10");
      assertThat(bill(m, "5")).isEqualByComparingTo("10");
      assertThat(bill(m, "6")).isEqualByComparingTo("20");
      assertThat(bill(m, "7")).isEqualByComparingTo("20");
    }

    // https://docs.stripe.com/billing/subscriptions/usage-based/transform-quantities: 10 USD an
    // hour, usage in minutes divided by 60 and rounded up; 150 minutes are "30 USD for 3 hours of
    // rental". Rounded down ("round": "down") they would be 2 hours, 20 USD.
    @Test
    void carRentalInStartedHours() {
      assertThat(bill(model("{'type':'package','package_size':'60','amount':'10'}"), "150"))
          .isEqualByComparingTo("30");
      assertThat(
              bill(
                  model("{'type':'package','package_size':'60','amount':'10','round_down':true}"),
                  "150"))
          .isEqualByComparingTo("20");
    }
  }

  @Nested
  class Prorations {

    // https://docs.stripe.com/billing/subscriptions/prorations: "If a customer upgrades from a 10
    // USD monthly plan to a 20 USD option halfway through the billing period, the customer is
    // billed an additional 5 USD": "Unused time on original 10 USD plan (credit) -5 USD",
    // "Remaining time on new 20 USD plan (debit) +10 USD". Halfway through April is the 16th: 15
    // of its 30 days remain.
    @Test
    void upgradeHalfwayThroughThePeriod() {
      TenantId acme = TenantId.of("acme");
      PlanVersion basic = monthly("basic", "10");
      PlanVersion pro = monthly("pro", "20");
      Subscription s =
          Subscription.builder(acme, basic, Instant.parse("2026-04-01T00:00:00Z"))
              .trialDays(0)
              .build();
      PlanChange c = Proration.change(s, basic, pro, Instant.parse("2026-04-16T09:00:00Z"), false);
      assertThat(c.remainingDays()).isEqualTo(15);
      assertThat(c.creditTotal()).isEqualTo(money("5.00", "USD"));
      assertThat(c.chargeTotal()).isEqualTo(money("10.00", "USD"));
      assertThat(c.net()).isEqualTo(money("5.00", "USD"));
    }

    private PlanVersion monthly(String id, String fee) {
      return plan(
          id,
          "{'currency':'USD','charges':[{'code':'subscription','price':{'type':'flat','amount':'"
              + fee
              + "'},'timing':'advance'}]}");
    }
  }

  @Nested
  class Rounding {

    // https://support.stripe.com/questions/rounding-rules-for-stripe-fees: "Stripe rounds the
    // Stripe fee to the nearest unit (e.g., cents). For example, if the fee is 0.025, Stripe will
    // round up to 0.03." An invoice line of a precise 0.025 USD prints 0.03 and keeps the precise
    // amount.
    @Test
    void halfUpToTheCent() {
      PlanVersion p =
          plan(
              "metered",
              "{'currency':'USD','charges':[{'code':'calls','meter':'api_calls',"
                  + "'aggregation':'count','price':{'type':'standard','unit_price':'0.0025'}}]}");
      Invoice invoice =
          InvoiceCalculator.standard()
              .calculate(
                  InvoiceRequest.builder(
                          "inv-stripe",
                          TenantId.of("acme"),
                          Money.currency("USD"),
                          InvoicePeriod.month(2026, 1),
                          LocalDate.of(2026, 2, 1))
                      .usage(p.priceCharges().get(0), Usage.of(BigDecimal.TEN))
                      .taxRate(TaxRate.EXEMPT)
                      .build());
      assertThat(invoice.lines())
          .singleElement()
          .satisfies(
              l -> {
                assertThat(l.preciseAmount()).isEqualByComparingTo("0.025");
                assertThat(l.amount()).isEqualTo(money("0.03", "USD"));
              });
      assertThat(invoice.total()).isEqualTo(money("0.03", "USD"));
    }

    // Same page (its localized copy, ?locale=nl-NL, carries the table): line items of $0.43 and
    // $4.84 at 15%, tax per line $0.0645 to $0.06 and $0.7265 to $0.73, "Totale belastingbedragen
    // $ 0,79", "Subtotaal $ 5,27", "Totaal $ 6,06". Stripe rounds the tax per line; we round it
    // once per rate on the invoice (docs/billing.md, Rounding and tax): 5.27 x 15% = 0.7905, 0.79.
    // Here both give the page's totals.
    @Test
    void taxOfTwoLinesAtFifteenPercent() {
      PlanVersion p =
          plan(
              "items",
              "{'currency':'USD','charges':[{'code':'item_1','price':{'type':'flat','amount':'0.43'}},"
                  + "{'code':'item_2','price':{'type':'flat','amount':'4.84'}}]}");
      Invoice invoice =
          InvoiceCalculator.standard()
              .calculate(
                  InvoiceRequest.builder(
                          "inv-stripe-tax",
                          TenantId.of("acme"),
                          Money.currency("USD"),
                          InvoicePeriod.month(2026, 1),
                          LocalDate.of(2026, 2, 1))
                      .usage(p.priceCharges().get(0), Usage.NONE)
                      .usage(p.priceCharges().get(1), Usage.NONE)
                      .taxRate(TaxRate.of("15"))
                      .build());
      assertThat(invoice.subtotal()).isEqualTo(money("5.27", "USD"));
      assertThat(invoice.taxTotal()).isEqualTo(money("0.79", "USD"));
      assertThat(invoice.total()).isEqualTo(money("6.06", "USD"));
    }
  }
}
