package dev.tenantkit.billing.reference;

import static dev.tenantkit.billing.reference.Reference.bill;
import static dev.tenantkit.billing.reference.Reference.billTransactions;
import static dev.tenantkit.billing.reference.Reference.charge;
import static dev.tenantkit.billing.reference.Reference.model;
import static dev.tenantkit.billing.reference.Reference.money;
import static dev.tenantkit.billing.reference.Reference.plan;
import static dev.tenantkit.billing.reference.Reference.price;
import static dev.tenantkit.billing.reference.Reference.ratio;
import static dev.tenantkit.billing.reference.Reference.rounded;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Coupon;
import dev.tenantkit.billing.invoice.CouponRedemption;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.BillingAlignment;
import dev.tenantkit.billing.subscription.BillingPeriod;
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
 * Lago's worked examples, each fed to our models in their catalog JSON form and checked to the
 * cent. Examples already reproduced elsewhere (the trial proration 41.67 in {@code
 * SubscriptionTest} and {@code PeriodBillerTest}, the weighted sum 15.161290322581 in {@code
 * ChargeUsageReaderTest}, the invoice 70 - 10 + 6 - 5 - 30 = 31 in {@code InvoiceCalculatorTest})
 * are not repeated here.
 */
class LagoExamplesTest {

  @Nested
  class ChargeModels {

    // https://docs.getlago.com/guide/plans/charges/charge-models/standard: "If a customer makes
    // 1,000 API calls during the billing period, the total invoice amount will be $0.05 x 1,000
    // API calls = $50."
    @Test
    void standard() {
      assertThat(bill(model("{'type':'standard','unit_price':'0.05'}"), "1000"))
          .isEqualByComparingTo("50");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/graduated: "$1 per unit for the
    // first 100 units (first 100 API calls), then $0.50 per unit for the next 100 calls and
    // finally, $0.10 for any additional unit"; https://getlago.com/docs/v2/guide/rate-cards/
    // pricing-models/graduated: "The calculated fee for these 250 API calls is 155 USD before
    // tax."
    @Test
    void graduated() {
      PriceModel m =
          model(
              "{'type':'graduated','tiers':[{'up_to':'100','unit_price':'1'},"
                  + "{'up_to':'200','unit_price':'0.50'},{'up_to':null,'unit_price':'0.10'}]}");
      assertThat(bill(m, "250")).isEqualByComparingTo("155");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/volume: tiers 0-10,000 at
    // $0.0010, 10,001-50,000 at $0.0008, 50,001-100,000 at $0.0006, 100,001-∞ at $0.0004, each
    // with a $10 fee: "65,000 API calls would cost 65,000 x $0.0006 + $10 = $49."
    @Test
    void volume() {
      PriceModel m =
          model(
              "{'type':'volume','tiers':["
                  + "{'up_to':'10000','unit_price':'0.0010','flat_fee':'10'},"
                  + "{'up_to':'50000','unit_price':'0.0008','flat_fee':'10'},"
                  + "{'up_to':'100000','unit_price':'0.0006','flat_fee':'10'},"
                  + "{'unit_price':'0.0004','flat_fee':'10'}]}");
      assertThat(bill(m, "65000")).isEqualByComparingTo("49");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/package: "charge $5 per 100 units
    // and offer the first 100 units. In this example, 201 units would cost $0 (first 100 units) +
    // $5 (next 100 units) + $5 (last unit) = $10."
    @Test
    void packageWithFreeUnits() {
      PriceModel m =
          model("{'type':'package','package_size':'100','amount':'5','free_units':'100'}");
      assertThat(bill(m, "201")).isEqualByComparingTo("10");
    }

    // https://getlago.com/docs/v2/guide/rate-cards/pricing-models/package: "The 2,000 calls fill
    // exactly 20 packages, giving a calculated fee of 20 USD before tax", and "with 50 free calls,
    // packages of 100 calls and a package price of 1 USD, 200 calls leave 150 billable calls. Lago
    // rounds these up to two packages, for a fee of 2 USD before tax."
    @Test
    void packageV2() {
      assertThat(bill(model("{'type':'package','package_size':'100','amount':'1'}"), "2000"))
          .isEqualByComparingTo("20");
      assertThat(
              bill(
                  model("{'type':'package','package_size':'100','amount':'1','free_units':'50'}"),
                  "200"))
          .isEqualByComparingTo("2");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/percentage: 1.2% and $0.10 per
    // transaction, "the first 3 events or $500 are free"; transactions of $200, $100 and $100 bill
    // nothing, and "for the fourth transaction, the charge will be $0.10 x 1 event + 1.2% of $50 =
    // $0.70."
    @Test
    void percentageWithFreeEventsAndAmount() {
      PriceModel m =
          model(
              "{'type':'percentage','rate':'1.2','fixed_fee':'0.10','free_transactions':3,"
                  + "'free_amount':'500'}");
      assertThat(billTransactions(m, "200", "100", "100")).isEqualByComparingTo("0");
      assertThat(billTransactions(m, "200", "100", "100", "50")).isEqualByComparingTo("0.70");
    }

    // https://getlago.com/docs/v2/guide/rate-cards/pricing-models/percentage: "the customer
    // processes 1,000 USD of transactions. The calculation uses 2%, with no fixed fee ... The
    // calculated fee is 20 USD before tax."
    @Test
    void percentageV2() {
      assertThat(billTransactions(model("{'type':'percentage','rate':'2'}"), "1000"))
          .isEqualByComparingTo("20");
    }

    // https://d376nw0erossg9.cloudfront.net/updates-25.html (Lago's product update for
    // https://getlago.com/changelog/minimum-maximum-price-per-transaction): 1% + $0.50, minimum
    // $1, maximum $5: "A $20 transaction will cost $1 ($20 x 1% + $0.50 = $0.70, so the minimum
    // applies)", "A $600 transaction will cost $5 ($600 x 1% + $0.50 = $6.50, so the maximum
    // applies)".
    @Test
    void percentageMinimumAndMaximumPerTransaction() {
      PriceModel m =
          model(
              "{'type':'percentage','rate':'1','fixed_fee':'0.50','min_per_transaction':'1',"
                  + "'max_per_transaction':'5'}");
      assertThat(billTransactions(m, "20")).isEqualByComparingTo("1");
      assertThat(billTransactions(m, "600")).isEqualByComparingTo("5");
      assertThat(billTransactions(m, "20", "600")).isEqualByComparingTo("6");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/graduated-percentage: tiers
    // 0-1,000 at 1% + $200, 1,001-10,000 at 2% + $300, 10,001-∞ at 3% + $400: "A first
    // transaction at $500 would cost (500 units x 1%) + $200 flat fee = $205.00; A second
    // transaction at $550 would cost [(500 units x 1%) + (50 units x 2%)] + $300 flat fee =
    // $306.00; A third transaction at $4,000 would cost (4,000 x 2%) = $80.00." The v2 page
    // (https://getlago.com/docs/v2/guide/rate-cards/pricing-models/graduated-percentage): "The
    // total is 5,050 USD ... The calculated fee is 591 USD before tax." The model prices the
    // running total, so each transaction's cost is the difference of two totals.
    @Test
    void graduatedPercentage() {
      PriceModel m =
          model(
              "{'type':'graduated_percentage','tiers':["
                  + "{'up_to':'1000','rate':'1','flat_fee':'200'},"
                  + "{'up_to':'10000','rate':'2','flat_fee':'300'},"
                  + "{'rate':'3','flat_fee':'400'}]}");
      BigDecimal first = bill(m, "500");
      BigDecimal second = bill(m, "1050");
      BigDecimal third = bill(m, "5050");
      assertThat(first).isEqualByComparingTo("205.00");
      assertThat(second.subtract(first)).isEqualByComparingTo("306.00");
      assertThat(third.subtract(second)).isEqualByComparingTo("80.00");
      assertThat(third).isEqualByComparingTo("591");
    }

    // https://docs.getlago.com/guide/plans/charges/charge-models/dynamic: events with total
    // amounts $0.70, $0.55 and $2.20 (7, 5 and 10 units); the invoice's table shows one fee,
    // "Dedicated Instance 22 ... $3.45". (The sentence above the table says "$3.435"; the table
    // and the sum say $3.45.) The meter sums each event's amount.
    @Test
    void dynamic() {
      Charge c =
          charge(
              "USD",
              "{'code':'dedicated_instance','meter':'instance_cost','aggregation':'sum',"
                  + "'price':{'type':'dynamic'}}");
      BigDecimal sum =
          new BigDecimal("0.70").add(new BigDecimal("0.55")).add(new BigDecimal("2.20"));
      assertThat(rounded(c.price(Usage.of(sum), BigDecimal.ONE).total(), "USD"))
          .isEqualTo(money("3.45", "USD"));
    }
  }

  @Nested
  class SpendingMinimum {

    // https://docs.getlago.com/guide/plans/charges/spending-minimum: "a standard pricing of
    // $0.010 per tracked user. However, the customer is committed to a spending minimum of $100.
    // If the total consumption of MTUs for the period is $50, a true-up fee of $50 will be
    // charged."
    @Test
    void trueUpToTheMinimum() {
      Charge c =
          charge(
              "USD",
              "{'code':'mtu','meter':'tracked_users','aggregation':'count',"
                  + "'price':{'type':'standard','unit_price':'0.010'},'minimum':'100'}");
      ChargeFee fee = price(c, "5000");
      assertThat(fee.subtotal()).isEqualByComparingTo("50");
      assertThat(fee.minimumTrueUp()).isEqualByComparingTo("50");
      assertThat(fee.total()).isEqualByComparingTo("100");
    }

    // Same page: "Spending minimums and true-up fees are always prorated based on the number of
    // days used in the subscription." Fifteen days of a 30-day month: the minimum is 50, and $50 of
    // usage needs no true-up.
    @Test
    void theMinimumIsProratedByDays() {
      Charge c =
          charge(
              "USD",
              "{'code':'mtu','meter':'tracked_users','aggregation':'count',"
                  + "'price':{'type':'standard','unit_price':'0.010'},'minimum':'100'}");
      ChargeFee half = c.price(Usage.of(new BigDecimal("5000")), ratio(15, 30));
      assertThat(half.minimumTrueUp()).isEqualByComparingTo("0");
      ChargeFee low = c.price(Usage.of(new BigDecimal("1000")), ratio(15, 30));
      assertThat(low.minimumTrueUp()).isEqualByComparingTo("40");
    }
  }

  @Nested
  class PlanChanges {
    private final TenantId acme = TenantId.of("acme");

    private PlanVersion monthly(String id, String currency, String fee, String timing) {
      return plan(
          id,
          "{'currency':'"
              + currency
              + "','charges':[{'code':'subscription','price':{'type':'flat','amount':'"
              + fee
              + "'},'timing':'"
              + timing
              + "'}]}");
    }

    // https://docs.getlago.com/guide/subscriptions/upgrades-downgrades, "Subscription paid in
    // arrears": "A customer subscribes to Plan A (€100/month, paid in arrears, calendar billing)
    // on January 1st, then upgrades to Plan B (€200/month) on January 15th. January 15th —
    // Invoice for Plan A: 14 days prorated = €45.16 (14/31 × €100)". The page's line for Plan B
    // was cut in the copy we read; by the same rule Plan B's 17 days are 17/31 x €200 = €109.68.
    @Test
    void upgradeInArrearsSplitsTheMonthAtTheChangeDay() {
      PlanVersion a = monthly("plan_a", "EUR", "100", "arrears");
      PlanVersion b = monthly("plan_b", "EUR", "200", "arrears");
      Subscription s =
          Subscription.builder(acme, a, Instant.parse("2026-01-01T00:00:00Z")).trialDays(0).build();
      Instant change = Instant.parse("2026-01-15T10:00:00Z");
      PlanChange c = Proration.change(s, a, b, change, false);
      assertThat(c.kind()).isEqualTo(PlanChange.Kind.UPGRADE);
      assertThat(c.credits()).isEmpty(); // nothing was paid in advance
      BillingPeriod january = c.period();
      long planADays = january.cycleDays() - c.remainingDays();
      assertThat(planADays).isEqualTo(14);
      Charge feeA = a.priceCharges().get(0);
      assertThat(rounded(feeA.price(Usage.NONE, ratio(planADays, 31)).total(), "EUR"))
          .isEqualTo(money("45.16", "EUR"));
      Subscription onB = c.subscription();
      assertThat(onB.billedDays(january)).isEqualTo(17);
      Charge feeB = b.priceCharges().get(0);
      assertThat(rounded(feeB.price(Usage.NONE, onB.billedFraction(january)).total(), "EUR"))
          .isEqualTo(money("109.68", "EUR"));
    }

    // The same page, "Subscription paid in advance": "Lago issues a credit note for the unused days
    // remaining on the former plan." An earlier version of the page
    // (getlago/lago-docs, docs/guide/05_plans/upgrades-downgrades.md) worked $20 to $40 in advance
    // on May 11th: "There are 21 days left until the end of the month (including May 11th), so the
    // calculation is: 21 days x $40 / 31 days = $27.10". The day count and the charge are ours;
    // that page then took off the whole "$20 already invoiced" (= $7.10), where the current page
    // credits the unused days only: 20 - round(20 x 10/31) = 13.55.
    @Test
    void upgradeInAdvanceChargesTheRemainingDaysIncludingTheChangeDay() {
      PlanVersion standard = monthly("standard", "USD", "20", "advance");
      PlanVersion premium = monthly("premium", "USD", "40", "advance");
      Subscription s =
          Subscription.builder(acme, standard, Instant.parse("2026-05-01T00:00:00Z"))
              .trialDays(0)
              .build();
      PlanChange c =
          Proration.change(s, standard, premium, Instant.parse("2026-05-11T12:00:00Z"), false);
      assertThat(c.remainingDays()).isEqualTo(21);
      assertThat(c.chargeTotal()).isEqualTo(money("27.10", "USD"));
      assertThat(c.creditTotal()).isEqualTo(money("13.55", "USD"));
      assertThat(c.net()).isEqualTo(money("13.55", "USD"));
    }
  }

  @Nested
  class BillingPeriods {
    private final TenantId acme = TenantId.of("acme");
    private final PlanVersion premium =
        plan(
            "premium",
            "{'currency':'USD','charges':[{'code':'subscription','price':{'type':'flat',"
                + "'amount':'50'},'timing':'advance'}]}");

    // getlago/lago-docs, docs/guide/05_plans/subscription.md (Lago's "Calendar billing period", as
    // published in 2023; the page is not in our search corpus): "Your customer signs up for the
    // Premium plan ($50 monthly) on August 10th. There are 22 days left until the end of the month
    // (including August 10th). Therefore, the subscription fee for August is: 22 days x $50 / 31
    // days = $35.48"
    @Test
    void calendarStubFromTheStartDayIncluded() {
      Subscription s =
          Subscription.builder(acme, premium, Instant.parse("2026-08-10T15:00:00Z"))
              .trialDays(0)
              .build();
      BillingPeriod first = s.periods().first();
      assertThat(s.billedDays(first)).isEqualTo(22);
      assertThat(
              rounded(
                  premium.priceCharges().get(0).price(Usage.NONE, s.billedFraction(first)).total(),
                  "USD"))
          .isEqualTo(money("35.48", "USD"));
    }

    // Same page, "Anniversary billing period": "the customer will be billed every 10th of the
    // month. The first billing period will run from August 10th to September 9th." (Our periods
    // end excluded: [August 10, September 10).)
    @Test
    void anniversaryPeriodsStartOnTheSubscriptionDay() {
      Subscription s =
          Subscription.builder(acme, premium, Instant.parse("2026-08-10T15:00:00Z"))
              .alignment(BillingAlignment.anniversary())
              .trialDays(0)
              .build();
      BillingPeriod first = s.periods().first();
      assertThat(first.start()).isEqualTo(LocalDate.parse("2026-08-10"));
      assertThat(first.end()).isEqualTo(LocalDate.parse("2026-09-10"));
      assertThat(first.isPartial()).isFalse();
      assertThat(s.billedFraction(first)).isEqualByComparingTo("1");
    }
  }

  @Nested
  class Invoices {
    private final InvoiceCalculator calculator = InvoiceCalculator.standard();

    private InvoiceRequest.Builder request() {
      return InvoiceRequest.builder(
          "inv-lago",
          TenantId.of("acme"),
          Money.currency("USD"),
          InvoicePeriod.month(2026, 1),
          LocalDate.of(2026, 2, 1));
    }

    private Charge flatFee(String code, String amount) {
      return charge(
          "USD", "{'code':'" + code + "','price':{'type':'flat','amount':'" + amount + "'}}");
    }

    // getlago/lago-docs, docs/guide/10_invoicing/fees.md, "Rounding rules for Lago fees" (as
    // published in 2023; not in our search corpus): "Lago rounds the Lago fees to the nearest unit
    // (e.g., cents). For example, if the fee is 0.175, Lago will round up to 0.18. If the fee is
    // 0.174, Lago will round down to 0.17." and "The tax rate is calculated at the item level and
    // the total amount is rounded after summing all the items on the invoice": lines of $0.17 and
    // $4.46 at 20%, tax $0.034 + $0.892 = $0.926, "Subtotal (incl. tax) $5.556 ... $5.56". We round
    // the tax once per rate (0.926 to 0.93) instead of rounding the total; the total is the same.
    @Test
    void feesRoundHalfUpAndTaxIsRoundedOnceNotPerLine() {
      Invoice rounding =
          calculator.calculate(
              request()
                  .usage(
                      charge(
                          "USD",
                          "{'code':'a','meter':'a','aggregation':'sum',"
                              + "'price':{'type':'standard','unit_price':'0.175'}}"),
                      Usage.of(BigDecimal.ONE))
                  .usage(
                      charge(
                          "USD",
                          "{'code':'b','meter':'b','aggregation':'sum',"
                              + "'price':{'type':'standard','unit_price':'0.174'}}"),
                      Usage.of(BigDecimal.ONE))
                  .taxRate(TaxRate.EXEMPT)
                  .build());
      assertThat(rounding.lines())
          .extracting(l -> l.amount())
          .containsExactly(money("0.18", "USD"), money("0.17", "USD"));

      Invoice taxed =
          calculator.calculate(
              request()
                  .usage(flatFee("item_1", "0.17"), Usage.NONE)
                  .usage(flatFee("item_2", "4.46"), Usage.NONE)
                  .taxRate(TaxRate.of("20"))
                  .build());
      assertThat(taxed.subtotal()).isEqualTo(money("4.63", "USD"));
      assertThat(taxed.taxLines())
          .singleElement()
          .satisfies(t -> assertThat(t.amount()).isEqualTo(money("0.93", "USD")));
      assertThat(taxed.total()).isEqualTo(money("5.56", "USD"));
    }

    // getlago/lago-docs, docs/guide/12_credit_notes.md (as published in 2023): "The total amount
    // available in the credit note wallets will be deducted from the subtotal of the customer's
    // next invoice(s), after tax": "All subscriptions = $50, All usage-based fees = $20, Coupons =
    // $10, Subtotal (excl. tax) = $60, Tax (10%) = $6, Subtotal (incl. tax) = $66, Credit notes =
    // $20, Prepaid credits = $30, Total due = $16".
    @Test
    void creditNotesAndPrepaidCreditsAfterTax() {
      Invoice invoice =
          calculator.calculate(
              request()
                  .usage(flatFee("subscription", "50"), Usage.NONE)
                  .usage(
                      charge(
                          "USD",
                          "{'code':'usage','meter':'calls','aggregation':'count',"
                              + "'price':{'type':'standard','unit_price':'0.02'}}"),
                      Usage.of(new BigDecimal("1000")))
                  .coupon(
                      CouponRedemption.fresh(
                          Coupon.fixed("TEN", money("10", "USD"), Coupon.Duration.ONCE, 0)))
                  .taxRate(TaxRate.of("10"))
                  .creditBalance(money("20", "USD"))
                  .prepaidBalance(money("30", "USD"))
                  .build());
      assertThat(invoice.subtotal()).isEqualTo(money("70", "USD"));
      assertThat(invoice.discountTotal()).isEqualTo(money("10", "USD"));
      assertThat(invoice.taxTotal()).isEqualTo(money("6", "USD"));
      assertThat(invoice.total()).isEqualTo(money("66", "USD"));
      assertThat(invoice.creditNotesApplied()).isEqualTo(money("20", "USD"));
      assertThat(invoice.prepaidCreditsApplied()).isEqualTo(money("30", "USD"));
      assertThat(invoice.amountDue()).isEqualTo(money("16", "USD"));
    }
  }
}
