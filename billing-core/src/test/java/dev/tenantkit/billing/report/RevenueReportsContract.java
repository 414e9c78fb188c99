package dev.tenantkit.billing.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The revenue reports over one hand-computed book, run on each store backend. Every invoice is a
 * flat fee with 10% tax (29 -> 31.90), issued on the day given; a page size of 2 makes every
 * listing take several pages.
 *
 * <pre>
 * tenant  plan             subscription                invoices (issued, net, status)
 * a       starter 29/mo    active                      Jan 31 29 paid; Feb 28 29 paid, refunded
 *                                                      whole; Mar 1 29 finalized (due Mar 31)
 * b       pro 990/yr USD   active                      Jan 31 990 paid (100 credited back);
 *                                                      Jan 20 EUR 10 paid
 * c       starter          in its trial                -
 * d       pro-eur 49/mo    active                      Jan 31 49 paid; Feb 1 49 finalized (due
 *                                                      Mar 3); Mar 5 49 void; a March draft
 * e       starter          paused                      -
 * f       tiny 100/yr USD  active                      -
 * g       (none)           -                           Feb 10 10 sent (due Mar 12)
 * </pre>
 */
abstract class RevenueReportsContract {
  static final Instant NOW = Instant.parse("2026-03-15T12:00:00Z");
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Issuer ISSUER = new Issuer("Tenantkit", List.of("1 Main St"), "TAX-1", "TK");

  private BillingStore store;
  private InMemoryPlanVersionStore plans;
  private RevenueReports reports;
  private final List<TenantId> tenants = new ArrayList<>();

  /** An empty store for one test: the reports read across every tenant of it. */
  protected abstract BillingStore newStore();

  @BeforeEach
  void book() {
    store = newStore();
    plans = new InMemoryPlanVersionStore();
    PlanVersion starter = publish("starter", "USD", BillingInterval.MONTH, "29");
    PlanVersion pro = publish("pro", "USD", BillingInterval.YEAR, "990");
    PlanVersion proEur = publish("pro-eur", "EUR", BillingInterval.MONTH, "49");
    PlanVersion tiny = publish("tiny", "USD", BillingInterval.YEAR, "100");
    subscribe("a", starter, START);
    subscribe("b", pro, START);
    subscribe("c", starter, Instant.parse("2026-03-10T00:00:00Z"));
    subscribe("d", proEur, START);
    Subscription e = Subscription.builder(t("e"), starter, START).build();
    store.insertSubscription(e.pause(Instant.parse("2026-02-01T00:00:00Z")));
    subscribe("f", tiny, START);

    issue("a", "a-jan", "USD", "29", "2026-01-31", InvoiceStatus.PAID);
    Invoice aFeb = issue("a", "a-feb", "USD", "29", "2026-02-28", InvoiceStatus.PAID);
    store.insertCreditNote(
        CreditNotes.issue(
            aFeb,
            List.of(),
            CreditNoteRequest.whole(
                "cn-a",
                LocalDate.parse("2026-03-02"),
                CreditNoteReason.PRODUCT_UNSATISFACTORY,
                "",
                CreditNoteMethod.REFUND)),
        0);
    issue("a", "a-mar", "USD", "29", "2026-03-01", InvoiceStatus.FINALIZED);
    Invoice bJan = issue("b", "b-jan", "USD", "990", "2026-01-31", InvoiceStatus.PAID);
    store.insertCreditNote(
        CreditNotes.issue(
            bJan,
            List.of(),
            new CreditNoteRequest(
                "cn-b",
                LocalDate.parse("2026-02-02"),
                CreditNoteReason.ORDER_CHANGE,
                "",
                CreditNoteMethod.CREDIT_BACK,
                Map.of(0, Money.of("100", "USD")))),
        0);
    issue("b", "b-eur", "EUR", "10", "2026-01-20", InvoiceStatus.PAID);
    issue("d", "d-jan", "EUR", "49", "2026-01-31", InvoiceStatus.PAID);
    issue("d", "d-feb", "EUR", "49", "2026-02-01", InvoiceStatus.FINALIZED);
    issue("d", "d-mar", "EUR", "49", "2026-03-05", InvoiceStatus.VOID);
    store.insertDraft(draft("d", "d-draft", "EUR", "49", LocalDate.parse("2026-03-31")), "k-d");
    issue("g", "g-feb", "USD", "10", "2026-02-10", InvoiceStatus.SENT);

    reports = RevenueReports.of(store, plans).withPageSize(2);
  }

  @Test
  void mrrSumsMonthlyFeesOfActiveSubscriptionsPerCurrencyRoundedOnce() {
    RecurringRevenue r = reports.recurringRevenue(NOW);

    // EUR: d 49. USD: a 29 + b 990/12 = 82.5 + f 100/12 = 8.333333333333 -> 119.833333333333;
    // ARR 12 x that = 1437.999999999996 -> 1438.00 (not 12 x 119.83 = 1437.96).
    assertThat(r.byCurrency())
        .containsExactly(
            new CurrencyRecurring(Money.of("49.00", "EUR"), Money.of("588.00", "EUR"), 1),
            new CurrencyRecurring(Money.of("119.83", "USD"), Money.of("1438.00", "USD"), 3));
    assertThat(r.trialing()).isEqualTo(1);
    assertThat(r.paused()).isEqualTo(1);
    assertThat(r.at()).isEqualTo(NOW);
  }

  @Test
  void aTrialCountsOnceItEnds() {
    // c's 14-day trial from March 10 ends on March 24.
    RecurringRevenue r = reports.recurringRevenue(Instant.parse("2026-03-24T00:00:00Z"));

    assertThat(r.byCurrency().get(1).mrr()).isEqualTo(Money.of("148.83", "USD"));
    assertThat(r.trialing()).isZero();
  }

  @Test
  void revenueByMonthHasTheChangeAgainstTheMonthBefore() {
    MonthlyRevenue r = reports.monthlyRevenue(YearMonth.of(2026, 2), YearMonth.of(2026, 3));

    // EUR: Jan 49 + 10 = 59, Feb 49, Mar 0 (the March invoice is void, the draft is no revenue).
    // USD: Jan 29 + 990 = 1019, Feb 29 + 10 = 39, Mar 29.
    assertThat(r.totals())
        .containsExactly(
            row(2, null, "49", "EUR", "-10", "-16.9"),
            row(3, null, "0", "EUR", "-49", "-100.0"),
            row(2, null, "39", "USD", "-980", "-96.2"),
            row(3, null, "29", "USD", "-10", "-25.6"));
  }

  @Test
  void revenueByPlanFollowsTheTenantsPlanAndHasNoPercentAfterAZeroMonth() {
    MonthlyRevenue r = reports.monthlyRevenue(YearMonth.of(2026, 2), YearMonth.of(2026, 3));

    assertThat(r.byPlan())
        .containsExactly(
            row(2, RevenueReports.NO_PLAN, "10", "USD", "10", null),
            row(3, RevenueReports.NO_PLAN, "0", "USD", "-10", "-100.0"),
            row(2, "pro", "0", "EUR", "-10", "-100.0"),
            row(3, "pro", "0", "EUR", "0", null),
            row(2, "pro", "0", "USD", "-990", "-100.0"),
            row(3, "pro", "0", "USD", "0", null),
            row(2, "pro-eur", "49", "EUR", "0", "0.0"),
            row(3, "pro-eur", "0", "EUR", "-49", "-100.0"),
            row(2, "starter", "29", "USD", "0", "0.0"),
            row(3, "starter", "29", "USD", "0", "0.0"));
  }

  @Test
  void aRangeEndingBeforeItStartsIsRefused() {
    assertThatThrownBy(() -> reports.monthlyRevenue(YearMonth.of(2026, 3), YearMonth.of(2026, 2)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void openAndOverdueAmountsPerCurrency() {
    Receivables r = reports.receivables(NOW);

    // EUR: d-feb 53.90, due March 3: overdue. USD: a-mar 31.90 due March 31; g-feb 11.00 due
    // March 12: overdue. Paid, void and draft invoices are not open.
    assertThat(r.today()).isEqualTo(LocalDate.parse("2026-03-15"));
    assertThat(r.byCurrency())
        .containsExactly(
            new OpenAmounts(Money.of("53.90", "EUR"), 1, Money.of("53.90", "EUR"), 1),
            new OpenAmounts(Money.of("42.90", "USD"), 2, Money.of("11.00", "USD"), 1));
  }

  @Test
  void overdueStartsTheDayAfterTheDueDateInTheOperatorsZone() {
    Instant lateOnDueDay = Instant.parse("2026-03-12T23:30:00Z");

    assertThat(reports.receivables(lateOnDueDay).byCurrency().get(1).overdue())
        .isEqualTo(Money.of("0.00", "USD"));
    assertThat(
            reports
                .withZone(ZoneId.of("Asia/Tokyo"))
                .receivables(lateOnDueDay)
                .byCurrency()
                .get(1)
                .overdue())
        .isEqualTo(Money.of("11.00", "USD"));
  }

  @Test
  void lifetimeValueIsPaidLessRefundsPerTenantAndCurrency() {
    List<LifetimeValue> values = new ArrayList<>();
    reports.lifetimeValues(
        v -> {
          if (tenants.contains(v.tenant())) {
            values.add(v);
          }
        });

    // a: 31.90 + 31.90 - 31.90 refunded. b: 1089.00 (the credit back is not money paid back;
    // it lowers a later invoice's amount due) and EUR 11.00. d: 53.90. g never paid.
    assertThat(values)
        .containsExactly(
            new LifetimeValue(t("a"), List.of(Money.of("31.90", "USD"))),
            new LifetimeValue(
                t("b"), List.of(Money.of("11.00", "EUR"), Money.of("1089.00", "USD"))),
            new LifetimeValue(t("d"), List.of(Money.of("53.90", "EUR"))));
    assertThat(reports.lifetimeValue(t("b"))).isEqualTo(values.get(1));
    assertThat(reports.lifetimeValue(t("g")).byCurrency()).isEmpty();
  }

  /** The store holding the book. */
  BillingStore store() {
    return store;
  }

  /** The plan versions of the book. */
  InMemoryPlanVersionStore plans() {
    return plans;
  }

  private MonthRevenue row(
      int month, String plan, String amount, String currency, String change, String percent) {
    return new MonthRevenue(
        YearMonth.of(2026, month),
        Optional.ofNullable(plan),
        Money.of(amount, currency).rounded(),
        Money.of(change, currency).rounded(),
        Optional.ofNullable(percent).map(BigDecimal::new));
  }

  private TenantId t(String name) {
    return TenantId.of(name);
  }

  private PlanVersion publish(String plan, String currency, BillingInterval interval, String fee) {
    return plans.publish(
        plan,
        PlanPrices.of(
            currency,
            interval,
            PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal(fee))))));
  }

  private void subscribe(String name, PlanVersion version, Instant start) {
    tenants.add(t(name));
    store.insertSubscription(Subscription.builder(t(name), version, start).build());
  }

  private Invoice draft(String tenant, String id, String currency, String fee, LocalDate issue) {
    InvoicePeriod period = InvoicePeriod.month(issue.getYear(), issue.getMonthValue());
    return InvoiceCalculator.standard()
        .calculate(
            InvoiceRequest.builder(id, t(tenant), Money.currency(currency), period, issue)
                .usage(Charge.flat("base", new FlatPrice(new BigDecimal(fee))), Usage.NONE)
                .build());
  }

  private Invoice issue(
      String tenant, String id, String currency, String fee, String issued, InvoiceStatus status) {
    if (!tenants.contains(t(tenant))) {
      tenants.add(t(tenant));
    }
    LocalDate day = LocalDate.parse(issued);
    Versioned<Invoice> v =
        store.insertDraft(draft(tenant, id, currency, fee, day), "k-" + id).invoice();
    v = store.finalizeInvoice(t(tenant), id, v.version(), ISSUER, day).orElseThrow();
    if (status != InvoiceStatus.FINALIZED) {
      v = store.changeStatus(t(tenant), id, v.version(), status).orElseThrow();
    }
    return v.value();
  }
}
