package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.PriorPlan;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.testkit.BillingFixtures;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Billing runs on a store backend: once per tenant and period, resumable after an interruption,
 * safe on two instances at once, drafts finalized after their grace, late usage corrected once. A
 * backend's test returns a fresh store (and, for two instances, a second store on the same data).
 */
abstract class BillingRunnerContract extends MeteringFixture {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final YearMonth APRIL = YearMonth.of(2026, 4);
  static final Issuer ISSUER = new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "TK");
  static final int TENANTS = 25;
  static final String RUN_AT = "2026-04-01T00:10:00Z";

  BillingStore store;
  final Plans plans = new Plans();
  PlanVersion starter;
  final List<TenantId> tenants = new ArrayList<>();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** A fresh, empty store. */
  abstract BillingStore newStore();

  /** A second store instance on the data of {@link #store} (the same one for memory). */
  abstract BillingStore secondInstance();

  @BeforeEach
  void subscribe() {
    store = newStore();
    starter = plans.publish("starter", catalog.requirePrices("starter"));
    for (int i = 0; i < TENANTS; i++) {
      TenantId t = TenantId.of(String.format("t%02d", i));
      tenants.add(t);
      store.insertSubscription(subscription(t, starter));
    }
  }

  static Subscription subscription(TenantId t, PlanVersion v) {
    return Subscription.builder(t, v, Instant.parse("2026-03-01T00:00:00Z")).trialDays(0).build();
  }

  BillingRunner.Builder runner(BillingStore on, String owner) {
    return BillingRunner.builder(on, plans, biller, ISSUER)
        .clock(clock)
        .owner(owner)
        .pageSize(7)
        .meterRegistry(registry);
  }

  /** Records {@code count} API calls at {@code at}, moving the clock there if later. */
  void calls(TenantId t, int count, String at) {
    at(at);
    for (int i = 0; i < count; i++) {
      metering
          .usageMeter()
          .record(UsageEvent.builder(t, "api_calls").timestamp(Instant.parse(at)).build());
    }
  }

  List<Invoice> invoicesOf(TenantId t) {
    return store.invoices(t, null, 10).items();
  }

  void everyTenantHasOneInvoice() {
    for (TenantId t : tenants) {
      assertThat(invoicesOf(t)).as(t.value()).hasSize(1);
    }
  }

  double counted(String outcome) {
    return registry.counter("tenantkit.billing.run.invoices", "outcome", outcome).count();
  }

  @Test
  void billsEveryTenantOnceAndARerunCreatesNothing() {
    calls(tenants.get(0), 12_500, "2026-03-20T00:00:00Z");
    at(RUN_AT);

    BillingRunRecord first = runner(store, "one").build().run(MARCH).orElseThrow();

    assertThat(first.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(first.tenantsDone()).isEqualTo(TENANTS);
    assertThat(first.invoicesCreated()).isEqualTo(TENANTS);
    assertThat(first.cursor()).isEqualTo(tenants.get(TENANTS - 1));
    everyTenantHasOneInvoice();
    Invoice t00 = invoicesOf(tenants.get(0)).get(0);
    assertThat(t00.isDraft()).isTrue();
    assertThat(t00.period().start()).hasToString("2026-03-01");
    // March's overage in arrears (12,500 calls: 2.5 thousands above 10,000 at 0.10), March's fee
    // (the first period's, which no invoice billed in advance), April's fee.
    assertThat(t00.lines())
        .extracting(l -> l.amount().toPlainString())
        .containsExactly("0.25", "29.00", "29.00");
    assertThat(t00.lines().get(1).description())
        .isEqualTo("starter v1 subscription, 2026-03-01 to 2026-03-31 (in advance)");
    assertThat(t00.total()).isEqualTo(Money.of("64.08", "USD"));
    assertThat(store.invoiceByKey(tenants.get(0), "sub:t00:2026-03-01:period"))
        .map(v -> v.value().id())
        .contains(t00.id());

    at("2026-04-01T00:20:00Z");
    BillingRunRecord again = runner(store, "two").build().run(MARCH).orElseThrow();

    assertThat(again.id()).isNotEqualTo(first.id());
    assertThat(again.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(again.tenantsDone()).isEqualTo(TENANTS);
    assertThat(again.invoicesCreated()).isZero();
    everyTenantHasOneInvoice();
    assertThat(counted("created")).isEqualTo(TENANTS);
    assertThat(counted("existing")).isEqualTo(TENANTS);
    assertThat(registry.timer("tenantkit.billing.run").count()).isEqualTo(2);
    // Progress from any instance.
    assertThat(runner(secondInstance(), "three").build().progress(first.id())).contains(first);
    assertThat(runner(store, "three").build().latest(MARCH)).contains(again);
  }

  @Test
  void aPeriodNotEndedIsNotBilled() {
    at(RUN_AT);
    BillingRunRecord april = runner(store, "one").build().run(APRIL).orElseThrow();
    assertThat(april.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(april.tenantsDone()).isEqualTo(TENANTS);
    assertThat(april.invoicesCreated()).isZero();
    assertThat(invoicesOf(tenants.get(0))).isEmpty();
  }

  @Test
  void aRunThatLostItsLeaseAfterTenTenantsIsResumedAfterItsCursor() {
    at(RUN_AT);
    JobLeases failing = new RenewFailsAfter(store.jobLeases(), 10);

    BillingRunRecord stopped =
        runner(store, "one").leases(failing).build().run(MARCH).orElseThrow();

    assertThat(stopped.status()).isEqualTo(BillingRunRecord.Status.RUNNING);
    assertThat(stopped.tenantsDone()).isEqualTo(10);
    assertThat(stopped.cursor()).isEqualTo(tenants.get(9));
    assertThat(invoicesOf(tenants.get(9))).hasSize(1);
    assertThat(invoicesOf(tenants.get(10))).isEmpty();
    // Another instance sees the progress and resumes the same run after its cursor.
    BillingRunner other = runner(secondInstance(), "two").build();
    assertThat(other.latest(MARCH)).contains(stopped);

    BillingRunRecord resumed = other.run(MARCH).orElseThrow();

    assertThat(resumed.id()).isEqualTo(stopped.id());
    assertThat(resumed.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(resumed.owner()).isEqualTo("two");
    assertThat(resumed.tenantsDone()).isEqualTo(TENANTS);
    assertThat(resumed.invoicesCreated()).isEqualTo(TENANTS);
    assertThat(counted("existing")).isZero();
    everyTenantHasOneInvoice();
  }

  @Test
  void aRunThatFailedAtATenantIsResumedThereOnceFixed() {
    PlanVersion pro = PlanVersion.of("professional", 1, catalog.requirePrices("professional"));
    TenantId broken = tenants.get(12);
    store.updateSubscription(subscription(broken, pro), 1);
    at(RUN_AT);

    BillingRunRecord failed = runner(store, "one").build().run(MARCH).orElseThrow();

    assertThat(failed.status()).isEqualTo(BillingRunRecord.Status.FAILED);
    assertThat(failed.failure()).startsWith("tenant t12: ").contains("professional v1");
    assertThat(failed.tenantsDone()).isEqualTo(12);
    assertThat(failed.finishedAt()).isNotNull();
    assertThat(counted("failed")).isEqualTo(1);
    assertThat(invoicesOf(broken)).isEmpty();

    plans.publish("professional", catalog.requirePrices("professional"));
    BillingRunRecord resumed = runner(store, "one").build().run(MARCH).orElseThrow();

    assertThat(resumed.id()).isEqualTo(failed.id());
    assertThat(resumed.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(resumed.failure()).isNull();
    assertThat(resumed.tenantsDone()).isEqualTo(TENANTS);
    assertThat(resumed.invoicesCreated()).isEqualTo(TENANTS);
    everyTenantHasOneInvoice();
  }

  @Test
  void twoInstancesAtOnceBillEveryTenantOnceAndNumberGapFree() throws Exception {
    BillingStore second = secondInstance();
    at(RUN_AT);
    // Round 1: the lease lets one in (or they run one after the other).
    BillingFixtures.race(2, i -> runner(i == 0 ? store : second, "owner" + i).build().run(MARCH));
    everyTenantHasOneInvoice();
    // Round 2: both believe they hold the lease (a paused instance past its expiry): only the
    // idempotency key stands between them and a double invoice.
    List<Optional<BillingRunRecord>> both =
        BillingFixtures.race(
            2,
            i ->
                runner(i == 0 ? store : second, "blind" + i)
                    .leases(new Granted())
                    .build()
                    .run(MARCH));
    assertThat(both).allSatisfy(r -> assertThat(r).isPresent());
    everyTenantHasOneInvoice();
    assertThat(counted("created")).isEqualTo(TENANTS);

    at("2026-04-04T00:00:00Z");
    List<Integer> finalized =
        BillingFixtures.race(
            2,
            i ->
                runner(i == 0 ? store : second, "fin" + i)
                    .leases(new Granted())
                    .build()
                    .finalizeDue(clock.instant()));
    assertThat(finalized.get(0) + finalized.get(1)).isEqualTo(TENANTS);
    Set<Integer> numbers = new HashSet<>();
    for (TenantId t : tenants) {
      Invoice i = invoicesOf(t).get(0);
      assertThat(i.isDraft()).isFalse();
      numbers.add(i.number().sequence());
    }
    assertThat(numbers)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, TENANTS).boxed().toList());
  }

  @Test
  void draftsStayOpenForTheGracePeriodAndAreRefreshedWhenFinalized() {
    TenantId t = tenants.get(3);
    calls(t, 12_500, "2026-03-20T00:00:00Z");
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").build();
    completed(runner, MARCH);
    assertThat(invoicesOf(t).get(0).lines().get(0).amount()).isEqualTo(Money.of("0.25", "USD"));
    // Usage of March 31st that arrives at 00:20 on April 1st, inside metering's lateness.
    at("2026-04-01T00:20:00Z");
    calls(t, 2_000, "2026-03-31T23:30:00Z");

    assertThat(runner.finalizeDue(Instant.parse("2026-04-03T23:59:59Z"))).isZero();
    assertThat(invoicesOf(t).get(0).isDraft()).isTrue();

    at("2026-04-04T00:00:00Z");
    assertThat(runner.finalizeDue(clock.instant())).isEqualTo(TENANTS);
    Invoice done = invoicesOf(t).get(0);
    assertThat(done.isDraft()).isFalse();
    assertThat(done.issueDate()).hasToString("2026-04-04");
    assertThat(done.lines())
        .extracting(l -> l.amount().toPlainString())
        .containsExactly("0.45", "29.00", "29.00");
    assertThat(runner.finalizeDue(clock.instant())).isZero();
    assertThat(registry.counter("tenantkit.billing.run.finalized").count()).isEqualTo(TENANTS);
  }

  @Test
  void finalizationTakesTheWalletCreditTheInvoiceUsedOnce() {
    TenantId t = tenants.get(7);
    store.credit(t, CreditAccount.WALLET, "grant-1", Money.of("10.00", "USD"));
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").build();
    completed(runner, MARCH);
    // A purchase during the grace period is used by the refreshed invoice.
    store.credit(t, CreditAccount.WALLET, "purchase-1", Money.of("5.00", "USD"));

    at("2026-04-04T00:00:00Z");
    assertThat(runner.finalizeDue(clock.instant())).isEqualTo(TENANTS);

    Invoice done = invoicesOf(t).get(0);
    assertThat(done.prepaidCreditsApplied()).isEqualTo(Money.of("15.00", "USD"));
    // March's and April's fees, 58.00 + 5.80 tax, less 15.00.
    assertThat(done.amountDue()).isEqualTo(Money.of("48.80", "USD"));
    assertThat(store.balance(t, CreditAccount.WALLET, done.currency()))
        .isEqualTo(Money.of("0", "USD"));
  }

  @Test
  void usageAfterFinalizationIsACorrectionOnTheNextInvoiceOnce() {
    TenantId t = tenants.get(5);
    calls(t, 12_500, "2026-03-20T00:00:00Z");
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").grace(Duration.ofMinutes(15)).build();
    completed(runner, MARCH);
    at("2026-04-01T00:30:00Z");
    assertThat(runner.finalizeDue(clock.instant())).isEqualTo(TENANTS);
    Invoice march = invoicesOf(t).get(0);
    assertThat(march.number()).isNotNull();
    // 2,000 calls of March 31st arrive after March was finalized.
    at("2026-04-01T00:40:00Z");
    calls(t, 2_000, "2026-03-31T23:45:00Z");

    at("2026-05-01T00:10:00Z");
    completed(runner, APRIL);
    completed(runner, APRIL);
    Invoice april = store.invoiceByKey(t, "sub:t05:2026-04-01:period").orElseThrow().value();
    assertThat(corrections(april))
        .extracting(l -> l.amount().toPlainString())
        .containsExactly("0.20");
    assertThat(corrections(april).get(0).description()).contains(march.number().toString());
    // Another tenant had no late usage: no correction.
    Invoice quiet =
        store.invoiceByKey(tenants.get(6), "sub:t06:2026-04-01:period").orElseThrow().value();
    assertThat(corrections(quiet)).isEmpty();

    at("2026-05-01T00:30:00Z");
    runner.finalizeDue(clock.instant());
    Invoice aprilFinal = store.invoice(t, april.id()).orElseThrow().value();
    assertThat(aprilFinal.isDraft()).isFalse();
    assertThat(corrections(aprilFinal))
        .extracting(l -> l.amount().toPlainString())
        .containsExactly("0.20");

    // May's invoice corrects April only: March's late usage is not billed again.
    at("2026-06-01T00:10:00Z");
    completed(runner, YearMonth.of(2026, 5));
    Invoice may = store.invoiceByKey(t, "sub:t05:2026-05-01:period").orElseThrow().value();
    assertThat(corrections(may)).isEmpty();
  }

  /**
   * Starter to Professional on April 10th (day 10 of a 30-day month): April's invoice bills
   * Professional for the 21 days from the change, the change's charge to the cent, and the 21
   * unused days of Starter's April fee, billed in advance on March's invoice, are a credit note
   * against it for the change's credit, which April's invoice applies. Nothing is billed twice: a
   * re-run and the finalization issue nothing more.
   */
  @Test
  void aPlanChangeMidPeriodIsBilledOnEachVersionAsItsProration() {
    TenantId t = tenants.get(2);
    PlanVersion pro = plans.publish("professional", catalog.requirePrices("professional"));
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").build();
    completed(runner, MARCH);
    at("2026-04-04T00:00:00Z");
    runner.finalizeDue(clock.instant());
    Invoice march = invoicesOf(t).get(0);
    assertThat(march.isDraft()).isFalse();

    at("2026-04-10T12:00:00Z");
    var current = store.subscription(t).orElseThrow();
    PlanChange change = Proration.change(current.value(), starter, pro, clock.instant(), false);
    assertThat(store.updateSubscription(change.subscription(), current.version())).isPresent();
    assertThat(store.subscription(t).orElseThrow().value().history())
        .containsExactly(new PriorPlan(Instant.parse("2026-03-01T00:00:00Z"), "starter", 1));
    assertThat(change.chargeTotal()).isEqualTo(Money.of("69.30", "USD"));
    assertThat(change.creditTotal()).isEqualTo(Money.of("20.30", "USD"));

    at("2026-05-01T00:10:00Z");
    completed(runner, APRIL);
    completed(runner, APRIL);

    Invoice april = store.invoiceByKey(t, "sub:t02:2026-04-01:period").orElseThrow().value();
    assertThat(april.lines())
        .extracting(InvoiceLine::description)
        .containsExactly(
            "professional v1 subscription, 2026-04-10 to 2026-04-30"
                + " (in advance, 21 of 30 days, plan change)",
            "professional v1 subscription, 2026-05-01 to 2026-05-31 (in advance)");
    assertThat(april.lines().get(0).amount()).isEqualTo(change.chargeTotal());
    List<CreditNote> notes = store.creditNotes(t, march.id());
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).subtotal()).isEqualTo(change.creditTotal());
    assertThat(notes.get(0).total()).isEqualTo(Money.of("22.33", "USD"));
    assertThat(april.creditNotesApplied()).isEqualTo(Money.of("22.33", "USD"));
    // 168.30 + 16.83 tax - 22.33 credited back.
    assertThat(april.amountDue()).isEqualTo(Money.of("162.80", "USD"));
    // Starter's April fee (29.00) less the credit, plus Professional's days: 8.70 + 69.30.
    assertThat(
            Money.of("29.00", "USD")
                .minus(notes.get(0).subtotal())
                .plus(april.lines().get(0).amount()))
        .isEqualTo(Money.of("78.00", "USD"));

    at("2026-05-04T00:00:00Z");
    runner.finalizeDue(clock.instant());
    Invoice aprilFinal = store.invoice(t, april.id()).orElseThrow().value();
    assertThat(aprilFinal.isDraft()).isFalse();
    assertThat(aprilFinal.amountDue()).isEqualTo(Money.of("162.80", "USD"));
    assertThat(store.creditNotes(t, march.id())).hasSize(1);
    assertThat(store.balance(t, CreditAccount.CREDIT_NOTES, march.currency()).isZero()).isTrue();
  }

  /**
   * A change on April 2nd, while March's draft is still open: the draft, refreshed when finalized,
   * still bills April in advance on Starter, the version in force when April began; April's invoice
   * then bills the change as its own (29 days of Professional, Starter's one day kept).
   */
  @Test
  void aChangeDuringTheGracePeriodLeavesTheDraftOnTheVersionOfThePeriodStart() {
    TenantId t = tenants.get(8);
    PlanVersion pro = plans.publish("professional", catalog.requirePrices("professional"));
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").build();
    completed(runner, MARCH);
    at("2026-04-02T12:00:00Z");
    var current = store.subscription(t).orElseThrow();
    PlanChange change = Proration.change(current.value(), starter, pro, clock.instant(), false);
    assertThat(store.updateSubscription(change.subscription(), current.version())).isPresent();

    at("2026-04-04T00:00:00Z");
    runner.finalizeDue(clock.instant());
    Invoice march = invoicesOf(t).get(0);
    assertThat(march.isDraft()).isFalse();
    assertThat(march.lines())
        .extracting(InvoiceLine::description)
        .contains("starter v1 subscription, 2026-04-01 to 2026-04-30 (in advance)");

    at("2026-05-01T00:10:00Z");
    completed(runner, APRIL);
    Invoice april = store.invoiceByKey(t, "sub:t08:2026-04-01:period").orElseThrow().value();
    assertThat(april.lines().get(0).amount()).isEqualTo(change.chargeTotal());
    assertThat(april.lines().get(0).amount()).isEqualTo(Money.of("95.70", "USD"));
    assertThat(store.creditNotes(t, march.id()))
        .extracting(CreditNote::subtotal)
        .containsExactly(change.creditTotal());
  }

  /**
   * Storage deleted on March 31st, reported after March was finalized, lowers March's storage fee:
   * the difference is a credit note against March's invoice (credited back, applied on April's),
   * once.
   */
  @Test
  void lateUsageThatLowersAFinalizedFeeIsACreditNoteOnce() {
    TenantId t = tenants.get(4);
    long gib20 = 20L << 30;
    storage(t, gib20, "2026-03-01T00:00:00Z");
    at(RUN_AT);
    BillingRunner runner = runner(store, "one").grace(Duration.ofMinutes(15)).build();
    completed(runner, MARCH);
    at("2026-04-01T00:30:00Z");
    runner.finalizeDue(clock.instant());
    Invoice march = invoicesOf(t).get(0);
    assertThat(march.isDraft()).isFalse();
    // 20 GiB all month: 10 GiB above the limit at 10.00.
    assertThat(march.lines().get(0).amount()).isEqualTo(Money.of("100.00", "USD"));
    at("2026-04-01T00:40:00Z");
    storage(t, -gib20, "2026-03-31T23:45:00Z");

    at("2026-05-01T00:10:00Z");
    completed(runner, APRIL);
    at("2026-05-01T00:30:00Z");
    runner.finalizeDue(clock.instant());
    completed(runner, APRIL);

    List<CreditNote> notes = store.creditNotes(t, march.id());
    assertThat(notes).hasSize(1);
    // 20 GiB for 743.75 of 744 hours: 9.99327957 GiB above the limit, 99.93; 0.07 less.
    assertThat(notes.get(0).subtotal()).isEqualTo(Money.of("0.07", "USD"));
    assertThat(notes.get(0).items().get(0).chargeCode()).isEqualTo("storage_overage");
    Invoice april = store.invoiceByKey(t, "sub:t04:2026-04-01:period").orElseThrow().value();
    assertThat(corrections(april)).isEmpty();
    assertThat(april.creditNotesApplied()).isEqualTo(notes.get(0).total());

    at("2026-06-01T00:10:00Z");
    completed(runner, YearMonth.of(2026, 5));
    assertThat(store.creditNotes(t, march.id())).hasSize(1);
  }

  private void storage(TenantId t, long bytes, String at) {
    at(at);
    metering
        .usageMeter()
        .record(
            UsageEvent.builder(t, "storage_bytes")
                .quantity(java.math.BigDecimal.valueOf(bytes))
                .timestamp(Instant.parse(at))
                .build());
  }

  private static void completed(BillingRunner runner, YearMonth month) {
    assertThat(runner.run(month))
        .hasValueSatisfying(
            r -> assertThat(r.status()).isEqualTo(BillingRunRecord.Status.COMPLETED));
  }

  private static List<InvoiceLine> corrections(Invoice i) {
    return i.lines().stream().filter(l -> l.chargeCode().endsWith(Corrections.SUFFIX)).toList();
  }

  /** Plan versions, published in memory. */
  static final class Plans implements PlanVersionStore {
    private final InMemoryPlanVersionStore delegate = new InMemoryPlanVersionStore();

    @Override
    public Optional<PlanVersion> latest(String planId) {
      return delegate.latest(planId);
    }

    @Override
    public Optional<PlanVersion> get(String planId, int version) {
      return delegate.get(planId, version);
    }

    @Override
    public PlanVersion publish(String planId, PlanPrices prices) {
      return delegate.publish(planId, prices);
    }
  }

  /** Leases whose renewals fail after {@code n} succeeded: a run that loses its lease. */
  static final class RenewFailsAfter implements JobLeases {
    private final JobLeases delegate;
    private final AtomicInteger left;

    RenewFailsAfter(JobLeases delegate, int n) {
      this.delegate = delegate;
      this.left = new AtomicInteger(n);
    }

    @Override
    public boolean acquire(String name, String owner, Instant now, Instant expiresAt) {
      return delegate.acquire(name, owner, now, expiresAt);
    }

    @Override
    public boolean renew(String name, String owner, Instant now, Instant expiresAt) {
      return left.getAndDecrement() > 0 && delegate.renew(name, owner, now, expiresAt);
    }

    @Override
    public void release(String name, String owner, JobRun run) {
      delegate.release(name, owner, run);
    }

    @Override
    public Optional<JobRun> lastRun(String name) {
      return delegate.lastRun(name);
    }
  }

  /** Leases every owner believes it holds: two instances working at once. */
  static final class Granted implements JobLeases {
    @Override
    public boolean acquire(String name, String owner, Instant now, Instant expiresAt) {
      return true;
    }

    @Override
    public boolean renew(String name, String owner, Instant now, Instant expiresAt) {
      return true;
    }

    @Override
    public void release(String name, String owner, JobRun run) {}

    @Override
    public Optional<JobRun> lastRun(String name) {
      return Optional.empty();
    }
  }
}
