package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Preview, summary, progressive invoices and corrections for late usage. */
class PreviewAndCorrectionsTest extends MeteringFixture {

  private PlanVersion starter() {
    return PlanVersion.of("starter", 1, catalog.requirePrices("starter"));
  }

  private static Subscription subscribe(PlanVersion v) {
    return Subscription.builder(ACME, v, Instant.parse("2026-03-01T00:00:00Z"))
        .trialDays(0)
        .build();
  }

  private static List<String> amounts(Invoice invoice) {
    return invoice.lines().stream().map(l -> l.amount().toPlainString()).toList();
  }

  /**
   * On March 10th 12:00 the files held peaked at 1,150: the summary shows 75.00 so far with 10 days
   * begun and 22 not over (March 10th is in both, as a plan change that day prorates by 22); the
   * upcoming invoice adds April's fee.
   */
  @Test
  void upcomingInvoiceAndSummaryOfThePeriodSoFar() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter);
    record("files", "1150", "2026-03-05T00:00:00Z");
    Instant now = Instant.parse("2026-03-10T12:00:00Z");
    at("2026-03-10T12:00:00Z");

    BillingSummary summary = biller.summary(s, starter, BillingInputs.NONE, now);
    assertThat(summary.daysElapsed()).isEqualTo(10);
    assertThat(summary.daysRemaining()).isEqualTo(22);
    assertThat(summary.charges())
        .extracting(BillingSummary.ChargeUsage::chargeCode)
        .containsExactly("files_overage");
    assertThat(summary.charges().get(0).quantity()).isEqualByComparingTo("150");
    assertThat(summary.amountSoFar()).isEqualTo(Money.of("75.00", "USD"));

    UpcomingInvoice upcoming = biller.upcoming("upcoming", s, starter, BillingInputs.NONE, now);
    assertThat(upcoming.period().start()).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(amounts(upcoming.invoice())).containsExactly("75.00", "29.00");
    assertThat(upcoming.invoice().total()).isEqualTo(Money.of("114.40", "USD"));
    // Usage after now is not in the preview.
    record("files", "1300", "2026-03-11T00:00:00Z");
    assertThat(biller.summary(s, starter, BillingInputs.NONE, now).amountSoFar())
        .isEqualTo(Money.of("75.00", "USD"));
  }

  /**
   * The summary's remaining days are the days a plan change at the same instant prorates by, at the
   * first and last instant of a day, on the period's first and last day, in a zone west of UTC.
   */
  @Test
  void theSummaryCountsRemainingDaysAsAPlanChangeDoes() {
    PlanVersion starter = starter();
    PlanVersion pro = PlanVersion.of("professional", 1, catalog.requirePrices("professional"));
    Subscription s =
        Subscription.builder(ACME, starter, Instant.parse("2026-03-01T05:00:00Z"))
            .zone(java.time.ZoneId.of("America/New_York"))
            .trialDays(0)
            .build();
    for (String at :
        List.of(
            "2026-03-01T05:00:00Z",
            "2026-03-10T04:00:00Z",
            "2026-03-10T03:59:59.999Z",
            "2026-03-31T12:00:00Z",
            "2026-04-01T03:59:59.999Z")) {
      Instant now = Instant.parse(at);
      long change =
          dev.tenantkit.billing.subscription.Proration.change(s, starter, pro, now, false)
              .remainingDays();
      BillingSummary summary = biller.summary(s, starter, BillingInputs.NONE, now);
      assertThat(summary.daysRemaining()).as(at).isEqualTo(change);
      assertThat(summary.daysElapsed() + summary.daysRemaining())
          .as(at)
          .isEqualTo(summary.period().days() + 1);
    }
    BillingSummary first =
        biller.summary(s, starter, BillingInputs.NONE, Instant.parse("2026-03-01T05:00:00Z"));
    assertThat(first.daysRemaining()).isEqualTo(31);
    BillingSummary last =
        biller.summary(s, starter, BillingInputs.NONE, Instant.parse("2026-04-01T03:59:59.999Z"));
    assertThat(last.daysRemaining()).isEqualTo(1);
  }

  /**
   * Late usage after finalization is billed as a correction line in the next period, never dropped,
   * never billed twice. March billed 12,500 API calls (0.25); 2,000 more calls of March 31st 23:45
   * arrive on April 1st 00:30, after March's invoice was finalized: 14,500 bill 0.45, so the
   * correction is +0.20 (2 thousands more). Read again, with that correction already billed,
   * nothing is left to correct.
   */
  @Test
  void lateUsageIsACorrectionLineOnTheNextInvoiceOnce() {
    PlanVersion starter = starter();
    Subscription s = subscribe(starter);
    BillingPeriod march = s.periods().first();
    calls(12500, "2026-03-20T00:00:00Z");
    at("2026-04-01T00:00:00Z");
    Invoice billed =
        biller
            .bill("inv-2", s, starter, march, BillingInputs.NONE)
            .finalizeAs(InvoiceNumber.parse("TK-2026-000002"), LocalDate.of(2026, 4, 1));
    assertThat(amounts(billed)).containsExactly("0.25", "29.00");

    calls(2000, "2026-03-31T23:45:00Z");
    at("2026-04-01T00:30:00Z");
    Corrections.Result result =
        biller.corrections(s, starter, march, BillingInputs.NONE, billed, List.of());

    assertThat(result.credits()).isEmpty();
    assertThat(result.lines()).hasSize(1);
    InvoiceLine line = result.lines().get(0);
    assertThat(line.chargeCode()).isEqualTo("api_calls_overage.correction");
    assertThat(line.amount()).isEqualTo(Money.of("0.20", "USD"));
    assertThat(line.quantity()).isEqualByComparingTo("2");
    assertThat(line.description())
        .isEqualTo(
            "Correction of api_calls_overage, 2026-03-01 to 2026-03-31 (invoice TK-2026-000002):"
                + " usage recorded after it was finalized");

    // The next invoice carries it.
    Invoice april =
        biller.bill(
            "inv-3",
            s,
            starter,
            s.periods().next(march),
            BillingInputs.builder().corrections(result.lines()).build());
    assertThat(amounts(april)).containsExactly("29.00", "0.20");

    // Never twice: with the correction billed, the same usage corrects nothing.
    assertThat(biller.corrections(s, starter, march, BillingInputs.NONE, billed, result.lines()))
        .matches(Corrections.Result::isEmpty);
  }

  /** A fee that went down is a credit for a credit note, never a negative line. */
  @Test
  void aLowerFeeIsACreditNotALine() {
    Charge calls =
        Charge.usage(
            "calls", "api_calls", Aggregation.COUNT, new StandardPrice(new BigDecimal("0.10")));
    PlanVersion plan =
        PlanVersion.of(
            "metered", 1, PlanPrices.of("USD", BillingInterval.MONTH, PlanCharge.of(calls)));
    Subscription s = subscribe(plan);
    calls(100, "2026-03-20T00:00:00Z");
    Invoice billed =
        biller
            .bill("inv-2", s, plan, s.periods().first(), BillingInputs.NONE)
            .finalizeAs(InvoiceNumber.parse("TK-2026-000002"), LocalDate.of(2026, 4, 1));

    Corrections.Result result =
        Corrections.of(
            billed, List.of(), List.of(calls.price(Usage.of(80), BigDecimal.ONE)), TaxRate.DEFAULT);

    assertThat(result.lines()).isEmpty();
    assertThat(result.credits())
        .containsExactly(new Corrections.Credit("calls", Money.of("2.00", "USD")));
    Invoice draft = biller.bill("inv-9", s, plan, s.periods().first(), BillingInputs.NONE);
    assertThatThrownBy(() -> Corrections.of(draft, List.of(), List.of(), TaxRate.DEFAULT))
        .isInstanceOf(InvalidInputException.class);
  }

  /**
   * A progressive invoice mid-period bills the usage so far; the period's end invoice bills the
   * rest: 1,000 requests at 0.01 on March 10th is 10.00, 2,500 by the end is 25.00 of which 15.00
   * is left. Together they bill the period's 25.00 once.
   */
  @Test
  void progressiveInvoicesAreDeductedAtThePeriodEnd() {
    Charge requests =
        Charge.usage(
            "requests", "requests", Aggregation.SUM, new StandardPrice(new BigDecimal("0.01")));
    PlanVersion plan =
        PlanVersion.of(
            "metered", 1, PlanPrices.of("USD", BillingInterval.MONTH, PlanCharge.of(requests)));
    Subscription s = subscribe(plan);
    record("requests", "1000", "2026-03-05T00:00:00Z");
    Instant now = Instant.parse("2026-03-10T00:00:00Z");
    at("2026-03-10T00:00:00Z");
    ProgressiveBilling.Thresholds thresholds =
        new ProgressiveBilling.Thresholds(List.of(Money.of("5", "USD")), Money.of("20", "USD"));
    Money soFar = biller.usageAmount(s, plan, s.periods().first(), BillingInputs.NONE, now);
    assertThat(soFar).isEqualTo(Money.of("10.00", "USD"));
    assertThat(ProgressiveBilling.due(thresholds, Money.zero(soFar.currency()), soFar))
        .contains(Money.of("5", "USD"));

    Invoice progressive = biller.progressive("inv-p1", s, plan, BillingInputs.NONE, now);
    assertThat(amounts(progressive)).containsExactly("10.00");
    assertThat(progressive.issueDate()).isEqualTo(LocalDate.of(2026, 3, 10));

    record("requests", "1500", "2026-03-20T00:00:00Z");
    BillingInputs inputs =
        BillingInputs.builder().progressiveBilled("requests", new BigDecimal("10.00")).build();
    Invoice end = biller.bill("inv-2", s, plan, s.periods().first(), inputs);

    assertThat(amounts(end)).containsExactly("15.00");
    assertThat(end.lines().get(0).description())
        .isEqualTo(
            "metered v1 requests, 2026-03-01 to 2026-03-31, less 10.00 billed by progressive"
                + " invoices");
    // A second progressive invoice at the same usage bills nothing more.
    assertThat(
            biller
                .progressive("inv-p2", s, plan, inputs, Instant.parse("2026-03-10T00:00:00Z"))
                .lines())
        .isEmpty();
  }
}
