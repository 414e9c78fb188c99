package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.testkit.SixChargePlan;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Invoices from a subscription, its plan and the usage metering recorded, end to end. */
class PeriodBillerTest extends MeteringFixture {

  private PlanVersion starter() {
    return PlanVersion.of("starter", 1, catalog.requirePrices("starter"));
  }

  private PlanVersion professional() {
    return PlanVersion.of("professional", 1, catalog.requirePrices("professional"));
  }

  private static Subscription subscribe(PlanVersion v, String start, String zone, int trialDays) {
    return Subscription.builder(ACME, v, Instant.parse(start))
        .zone(ZoneId.of(zone))
        .trialDays(trialDays)
        .build();
  }

  private static List<String> amounts(Invoice invoice) {
    return invoice.lines().stream().map(l -> l.amount().toPlainString()).toList();
  }

  private static List<String> descriptions(Invoice invoice) {
    return invoice.lines().stream().map(InvoiceLine::description).toList();
  }

  private static BillingPeriod march(Subscription s) {
    return s.periods().containing(LocalDate.of(2026, 3, 15));
  }

  /**
   * Starter for March 2026 (UTC, no trial). Files held peak at 1,150: 150 above the 1,000 included,
   * x 0.50 = 75.00. Storage, time-weighted: 12 GiB held from March 5th 10:00 to the end, 638 of
   * March's 744 hours, is 12 x 638 / 744 = 10.290322580645 GiB; 0.290322580645 above 10 GiB x 10 =
   * 2.90. API calls: 12,500, 2,500 above 10,000 = 2.5 thousands x 0.10 = 0.25 (a batch at April 1st
   * 00:00 is April's). April's fee in advance: 29.00. Subtotal 107.15; tax 10% 10.715 -> 10.72;
   * total 117.87.
   */
  @Test
  void starterForAMonthWithOverage() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0);
    Invoice first = biller.first("inv-1", s, starter, BillingInputs.NONE);
    assertThat(descriptions(first))
        .containsExactly("starter v1 subscription, 2026-03-01 to 2026-03-31 (in advance)");
    assertThat(first.total()).isEqualTo(Money.of("31.90", "USD"));
    assertThat(first.issueDate()).isEqualTo(LocalDate.of(2026, 3, 1));

    record("files", "900", "2026-03-03T10:00:00Z");
    record("storage_bytes", String.valueOf(12L << 30), "2026-03-05T10:00:00Z");
    record("files", "1150", "2026-03-10T10:00:00Z");
    calls(5000, "2026-03-12T10:00:00Z");
    record("files", "1100", "2026-03-20T10:00:00Z");
    calls(7500, "2026-03-31T23:59:59Z");
    calls(1000, "2026-04-01T00:00:00Z");

    Invoice invoice = biller.bill("inv-2", s, starter, march(s), BillingInputs.NONE);

    assertThat(descriptions(invoice))
        .containsExactly(
            "starter v1 files_overage, 2026-03-01 to 2026-03-31 (usage above the files limit)",
            "starter v1 storage_overage, 2026-03-01 to 2026-03-31"
                + " (usage above the storage_bytes limit)",
            "starter v1 api_calls_overage, 2026-03-01 to 2026-03-31"
                + " (usage above the api_calls limit)",
            "starter v1 subscription, 2026-04-01 to 2026-04-30 (in advance)");
    assertThat(amounts(invoice)).containsExactly("75.00", "2.90", "0.25", "29.00");
    assertThat(invoice.lines().get(0).quantity()).isEqualByComparingTo("150");
    assertThat(invoice.lines().get(0).unitPrice()).isEqualByComparingTo("0.50");
    assertThat(invoice.lines().get(2).quantity()).isEqualByComparingTo("2.5");
    assertThat(invoice.period()).isEqualTo(InvoicePeriod.month(2026, 3));
    assertThat(invoice.issueDate()).isEqualTo(LocalDate.of(2026, 4, 1));
    assertThat(invoice.subtotal()).isEqualTo(Money.of("107.15", "USD"));
    assertThat(invoice.taxTotal()).isEqualTo(Money.of("10.72", "USD"));
    assertThat(invoice.total()).isEqualTo(Money.of("117.87", "USD"));
    assertThat(invoice.amountDue()).isEqualTo(Money.of("117.87", "USD"));
  }

  /** Lago bills nothing for usage at zero; the fee in advance is still billed. */
  @Test
  void zeroUsageBillsOnlyTheFee() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0);
    record("files", "1000", "2026-03-10T00:00:00Z");

    Invoice invoice = biller.bill("inv-2", s, starter, march(s), BillingInputs.NONE);

    assertThat(amounts(invoice)).containsExactly("29.00");
    assertThat(invoice.total()).isEqualTo(Money.of("31.90", "USD"));
  }

  /**
   * Six charges of mixed models, March 2026, no fee:
   *
   * <ul>
   *   <li>graduated requests, 2,500: 1,000 x 0.01 = 10 + flat 5 + 1,500 x 0.005 = 7.50 -> 22.50;
   *   <li>volume messages, 250 reach the second tier: 250 x 0.08 + 2 = 22.00;
   *   <li>package emails, 201 at 5 per 100 started: 3 packages = 15.00;
   *   <li>percentage payments 200, 100 and 50.25: 1.2% x 350.25 = 4.203 + 3 x 0.10 = 4.503 -> 4.50;
   *   <li>storage held, time-weighted: 10 GiB for 15 days then 30 GiB for 16 days, (150 + 480) / 31
   *       = 20.3225806... GiB x 0.25 = 5.0806... -> 5.08;
   *   <li>capacity seats, peak 12: the tier up to 50, 400.00.
   * </ul>
   *
   * Subtotal 469.08; tax 46.908 -> 46.91; total 515.99.
   */
  @Test
  void sixChargesOfMixedModels() {
    PlanVersion mixed = PlanVersion.of("mixed", 1, SixChargePlan.prices());
    Subscription s = subscribe(mixed, "2026-03-01T00:00:00Z", "UTC", 0);
    record("storage_bytes", String.valueOf(10L << 30), "2026-03-01T00:00:00Z");
    record("requests", "2000", "2026-03-02T00:00:00Z");
    record("messages", "250", "2026-03-02T00:00:00Z");
    record("emails", "201", "2026-03-02T00:00:00Z");
    record("payments", "200", "2026-03-03T00:00:00Z");
    record("seats", "8", "2026-03-03T00:00:00Z");
    record("payments", "100", "2026-03-04T00:00:00Z");
    record("seats", "12", "2026-03-05T00:00:00Z");
    record("seats", "9", "2026-03-06T00:00:00Z");
    record("storage_bytes", String.valueOf(20L << 30), "2026-03-16T00:00:00Z");
    record("requests", "500", "2026-03-20T00:00:00Z");
    record("payments", "50.25", "2026-03-30T00:00:00Z");

    Invoice invoice = biller.bill("inv-1", s, mixed, march(s), BillingInputs.NONE);

    assertThat(invoice.lines().stream().map(InvoiceLine::chargeCode))
        .containsExactly("requests", "messages", "emails", "payments", "storage", "seats");
    assertThat(amounts(invoice))
        .containsExactly("22.50", "22.00", "15.00", "4.50", "5.08", "400.00");
    assertThat(invoice.lines().get(3).preciseAmount()).isEqualByComparingTo("4.503");
    assertThat(invoice.subtotal()).isEqualTo(Money.of("469.08", "USD"));
    assertThat(invoice.taxTotal()).isEqualTo(Money.of("46.91", "USD"));
    assertThat(invoice.total()).isEqualTo(Money.of("515.99", "USD"));
  }

  /**
   * Lago's trial example: 50 a month in advance, a 5-day trial from April 1st: the first invoice,
   * on April 1st, bills April 6th to 30th, 50 x 25 / 30 = 41.67. Usage in the trial is billed.
   */
  @Test
  void trialDaysAreFreeButTheirUsageIsNot() {
    PlanVersion basic =
        PlanVersion.of(
            "basic",
            1,
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal("50")))),
                PlanCharge.of(
                    Charge.usage(
                        "requests",
                        "requests",
                        Aggregation.SUM,
                        new StandardPrice(new BigDecimal("0.01"))))));
    Subscription s = subscribe(basic, "2022-04-01T00:00:00Z", "UTC", 5);

    Invoice first = biller.first("inv-1", s, basic, BillingInputs.NONE);

    assertThat(descriptions(first))
        .containsExactly(
            "basic v1 subscription, 2022-04-06 to 2022-04-30 (in advance, 25 of 30 days)");
    assertThat(amounts(first)).containsExactly("41.67");
    assertThat(first.issueDate()).isEqualTo(LocalDate.of(2022, 4, 1));

    record("requests", "100", "2022-04-02T00:00:00Z");
    Invoice april = biller.bill("inv-2", s, basic, s.periods().first(), BillingInputs.NONE);
    assertThat(amounts(april)).containsExactly("1.00", "50.00");
  }

  /**
   * Starter from March 10th 2026, 15:00 in New York (19:00 UTC; daylight time began March 8th), no
   * trial. The first period is March 10th to 31st in New York: 29 x 22 / 31 = 20.58. Files held:
   * 1,200 on March 9th 23:00 local (before the first day: not billed), 1,100 on March 31st 22:00
   * local (April 1st 02:00 UTC, March's) and 5,000 on April 1st 00:30 local (April's): 100 above
   * the limit, 50.00, and April's 29.00.
   */
  @Test
  void aMidMonthStartInNewYork() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter, "2026-03-10T19:00:00Z", "America/New_York", 0);

    Invoice first = biller.first("inv-1", s, starter, BillingInputs.NONE);
    assertThat(descriptions(first))
        .containsExactly(
            "starter v1 subscription, 2026-03-10 to 2026-03-31 (in advance, 22 of 31 days)");
    assertThat(amounts(first)).containsExactly("20.58");
    assertThat(first.total()).isEqualTo(Money.of("22.64", "USD"));

    record("files", "1200", "2026-03-10T03:00:00Z");
    record("files", "1100", "2026-04-01T02:00:00Z");
    record("files", "5000", "2026-04-01T04:30:00Z");
    Invoice invoice = biller.bill("inv-2", s, starter, s.periods().first(), BillingInputs.NONE);

    assertThat(invoice.period())
        .isEqualTo(new InvoicePeriod(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 4, 1)));
    assertThat(amounts(invoice)).containsExactly("50.00", "29.00");
    assertThat(invoice.total()).isEqualTo(Money.of("86.90", "USD"));
  }

  /**
   * A plan in yen from February 15th 2026, 10:00 in Tokyo: 3,000 a month in advance, 2 per request.
   * The first invoice bills 14 of 28 days, 1,500, tax 150. February's invoice: 137 requests (the
   * last at 23:59 on the 28th in Tokyo; one at March 1st 00:00 in Tokyo is March's) = 274, March's
   * 3,000; tax 327.4 -> 327 (no minor unit); total 3,601.
   */
  @Test
  void aMidMonthStartInTokyoInYen() {
    PlanVersion jp =
        PlanVersion.of(
            "jp",
            1,
            PlanPrices.of(
                "JPY",
                BillingInterval.MONTH,
                PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal("3000")))),
                PlanCharge.of(
                    Charge.usage(
                        "requests",
                        "requests",
                        Aggregation.SUM,
                        new StandardPrice(new BigDecimal("2"))))));
    Subscription s = subscribe(jp, "2026-02-15T01:00:00Z", "Asia/Tokyo", 0);

    Invoice first = biller.first("inv-1", s, jp, BillingInputs.NONE);
    assertThat(amounts(first)).containsExactly("1500");
    assertThat(first.total()).isEqualTo(Money.of("1650", "JPY"));

    record("requests", "100", "2026-02-20T00:00:00Z");
    record("requests", "37", "2026-02-28T14:59:00Z");
    record("requests", "500", "2026-02-28T15:00:00Z");
    Invoice february = biller.bill("inv-2", s, jp, s.periods().first(), BillingInputs.NONE);

    assertThat(amounts(february)).containsExactly("274", "3000");
    assertThat(february.taxTotal()).isEqualTo(Money.of("327", "JPY"));
    assertThat(february.total()).isEqualTo(Money.of("3601", "JPY"));
  }

  /**
   * Starter to Professional on March 16th 12:00 UTC. The change day is Professional's (Proration's
   * day rule): Starter bills its overage for March 1st to 15th (files peak 1,200: 100.00; 11,000
   * API calls: 1 thousand above, 0.10) and Professional for March 16th to 31st (1,300 files and
   * 9,000 calls are within its limits: no line); April's fee is Professional's 99.00. The change's
   * prorated fees: Professional's 16 days are a line of this invoice, Proration's charge to the
   * cent; Starter's unused days are {@code changeCredits}, Proration's credit, for a credit note.
   */
  @Test
  void anUpgradeMidPeriodBillsEachVersionForItsDays() {
    PlanVersion starter = starter();
    PlanVersion pro = professional();
    Subscription s = subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0);
    record("files", "1200", "2026-03-05T00:00:00Z");
    calls(11000, "2026-03-10T00:00:00Z");
    Instant change = Instant.parse("2026-03-16T12:00:00Z");
    calls(500, "2026-03-16T06:00:00Z");
    PlanChange planChange = Proration.change(s, starter, pro, change, false);
    Subscription upgraded = planChange.subscription();
    record("files", "1300", "2026-03-20T00:00:00Z");
    calls(9000, "2026-03-20T00:00:00Z");
    BillingInputs inputs =
        BillingInputs.builder().priorTerm(new PlanTerm(starter, s.start())).build();

    Invoice invoice = biller.bill("inv-2", upgraded, pro, march(upgraded), inputs);

    assertThat(descriptions(invoice))
        .containsExactly(
            "starter v1 files_overage, 2026-03-01 to 2026-03-15 (usage above the files limit)",
            "starter v1 api_calls_overage, 2026-03-01 to 2026-03-15"
                + " (usage above the api_calls limit)",
            "professional v1 subscription, 2026-03-16 to 2026-03-31"
                + " (in advance, 16 of 31 days, plan change)",
            "professional v1 subscription, 2026-04-01 to 2026-04-30 (in advance)");
    // The change's charge, to the cent: 99 x 16/31.
    assertThat(amounts(invoice)).containsExactly("100.00", "0.10", "51.10", "99.00");
    assertThat(invoice.lines().get(2).amount()).isEqualTo(planChange.chargeTotal());
    assertThat(invoice.total()).isEqualTo(Money.of("275.22", "USD"));
    // Starter's March fee was paid in advance; its 16 unused days are the change's credit.
    assertThat(biller.changeCredits(upgraded, pro, march(upgraded), inputs))
        .extracting(l -> l.amount().toPlainString())
        .containsExactly(planChange.creditTotal().toPlainString());
  }

  /** Cancelled at the period's end: March's usage, no April fee. */
  @Test
  void aCancellationAtThePeriodEndBillsNoNextFee() {
    PlanVersion starter = starter();
    Subscription s =
        subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0)
            .cancel(CancelTiming.AT_PERIOD_END, Instant.parse("2026-03-20T00:00:00Z"));
    record("files", "1100", "2026-03-10T00:00:00Z");

    Invoice invoice = biller.bill("inv-2", s, starter, march(s), BillingInputs.NONE);

    assertThat(amounts(invoice)).containsExactly("50.00");
  }

  /**
   * Cancelled now on March 20th 12:00: usage after that is not billed, nor any April fee; the
   * unused days of March's fee are Proration.cancel's credit.
   */
  @Test
  void aCancellationNowStopsTheUsage() {
    PlanVersion starter = starter();
    Subscription s =
        subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0)
            .cancel(CancelTiming.NOW, Instant.parse("2026-03-20T12:00:00Z"));
    record("files", "1100", "2026-03-10T00:00:00Z");
    record("files", "1500", "2026-03-25T00:00:00Z");

    Invoice invoice = biller.bill("inv-2", s, starter, march(s), BillingInputs.NONE);

    assertThat(amounts(invoice)).containsExactly("50.00");
  }

  /** The caller's tax rate, coupons and balances reach the invoice. */
  @Test
  void theCallersInputsReachTheInvoice() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0);
    BillingInputs inputs =
        BillingInputs.builder()
            .taxRate(dev.tenantkit.billing.invoice.TaxRate.of("20"))
            .prepaidBalance(Money.of("10.00", "USD"))
            .paymentTermDays(14)
            .build();

    Invoice invoice = biller.bill("inv-2", s, starter, march(s), inputs);

    assertThat(invoice.taxTotal()).isEqualTo(Money.of("5.80", "USD"));
    assertThat(invoice.amountDue()).isEqualTo(Money.of("24.80", "USD"));
    assertThat(invoice.dueDate()).isEqualTo(LocalDate.of(2026, 4, 15));
  }

  /**
   * A flat fee in arrears is billed at the period's end for the days billed: 30 a month from March
   * 10th is 30 x 22 / 31 = 21.29 on April 1st, with nothing on the first invoice.
   */
  @Test
  void aFlatFeeInArrearsIsBilledForItsDaysAtThePeriodEnd() {
    PlanVersion platform =
        PlanVersion.of(
            "platform",
            1,
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                PlanCharge.of(
                    Charge.flat("platform", new FlatPrice(new BigDecimal("30")))
                        .withTiming(ChargeTiming.ARREARS))));
    Subscription s = subscribe(platform, "2026-03-10T00:00:00Z", "UTC", 0);

    assertThat(biller.first("inv-1", s, platform, BillingInputs.NONE).lines()).isEmpty();
    Invoice march = biller.bill("inv-2", s, platform, s.periods().first(), BillingInputs.NONE);

    assertThat(descriptions(march))
        .containsExactly("platform v1 platform, 2026-03-10 to 2026-03-31");
    assertThat(amounts(march)).containsExactly("21.29");
  }

  /** Paused on March 20th: the usage after the pause is not billed, nor April's fee. */
  @Test
  void aPauseStopsTheUsage() {
    PlanVersion starter = starter();
    Subscription s =
        subscribe(starter, "2026-03-01T00:00:00Z", "UTC", 0)
            .pause(Instant.parse("2026-03-20T00:00:00Z"));
    record("files", "1100", "2026-03-10T00:00:00Z");
    record("files", "1500", "2026-03-25T00:00:00Z");

    assertThat(amounts(biller.bill("inv-2", s, starter, march(s), BillingInputs.NONE)))
        .containsExactly("50.00");
  }

  /** The plan version given must be the subscription's. */
  @Test
  void anotherPlanVersionIsRefused() {
    Subscription s = subscribe(starter(), "2026-03-01T00:00:00Z", "UTC", 0);

    assertThatThrownBy(() -> biller.bill("inv-2", s, professional(), march(s), BillingInputs.NONE))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("plan_version"));
  }
}
