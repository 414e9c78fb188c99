package dev.tenantkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.testkit.MeteringSetup;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BillingTest {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId OTHER = TenantId.of("other");

  final FakeClock clock = FakeClock.at(Instant.parse("2026-03-01T00:00:00Z"));
  final InMemoryBillingStore store = new InMemoryBillingStore();
  final InMemoryPlanVersionStore plans = new InMemoryPlanVersionStore();
  Metering metering;
  Billing billing;

  @BeforeEach
  void setUp() {
    PriceCatalog catalog = PriceCatalog.defaults();
    catalog.publish(plans);
    metering = MeteringSetup.metering(clock);
    billing =
        Billing.builder()
            .store(store)
            .plans(plans)
            .catalog(catalog)
            .usage(metering.queries())
            .issuer(new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "TK"))
            .clock(clock)
            .executor(Runnable::run)
            .build();
  }

  @AfterEach
  void tearDown() {
    billing.close();
    metering.close();
  }

  void at(String instant) {
    clock.advance(java.time.Duration.between(clock.instant(), Instant.parse(instant)));
  }

  @Test
  void subscribesToTheLatestVersionInItsCurrency() {
    var s = billing.subscribe(ACME, "starter");
    assertThat(s.planId()).isEqualTo("starter");
    assertThat(s.currency().getCurrencyCode()).isEqualTo("USD");
    assertThat(billing.subscription(ACME)).contains(s);
    assertThat(billing.subscription(OTHER)).isEmpty();
    assertThatThrownBy(() -> billing.subscribe(ACME, "starter"))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> billing.subscribe(OTHER, "gold"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("gold");
    assertThat(billing.subscription(OTHER)).isEmpty();
  }

  @Test
  void aDeletedTenantsSubscriptionIsCancelledAndBilledOnlyUpToTheDeletion() {
    billing.subscribe(ACME, "starter");
    billing.subscribe(OTHER, "starter");
    at("2026-04-10T12:00:00Z");
    Tenant deleted =
        new Tenant(
            ACME,
            "Acme",
            "starter",
            TenantStatus.DELETED,
            TenantSettings.defaults(),
            clock.instant(),
            clock.instant(),
            clock.instant(),
            2);
    billing
        .lifecycleListener()
        .onEvent(new TenantEvent(TenantEvent.Type.CREATED, deleted, clock.instant()));
    assertThat(billing.subscription(ACME).orElseThrow().endsAt()).isNull();
    billing
        .lifecycleListener()
        .onEvent(new TenantEvent(TenantEvent.Type.DELETED, deleted, clock.instant()));
    assertThat(billing.subscription(ACME).orElseThrow().endsAt()).isEqualTo(clock.instant());
    // Cancelling again changes nothing; the other tenant is untouched.
    assertThat(billing.cancel(ACME, CancelTiming.NOW)).isEmpty();
    assertThat(billing.subscription(OTHER).orElseThrow().endsAt()).isNull();

    // April (up to the deletion) is billed; May has nothing to bill for the deleted tenant.
    at("2026-05-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 4));
    assertThat(billing.invoices(ACME, null, 10).items()).hasSize(1);
    at("2026-06-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 5));
    assertThat(billing.invoices(ACME, null, 10).items()).hasSize(1);
    assertThat(billing.invoices(OTHER, null, 10).items()).hasSize(2);
  }

  @Test
  void previewChangesNothingAndAnUpgradeAppliesAtOnce() {
    billing.subscribe(ACME, "starter");
    at("2026-03-20T00:00:00Z");
    PlanChange preview = billing.previewChange(ACME, "professional", false);
    assertThat(preview.kind()).isEqualTo(PlanChange.Kind.UPGRADE);
    assertThat(preview.immediate()).isTrue();
    assertThat(billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");

    PlanChange applied = billing.changePlan(ACME, "professional", false);
    assertThat(applied.net()).isEqualTo(preview.net());
    assertThat(applied.net()).isEqualTo(applied.chargeTotal().minus(applied.creditTotal()));
    assertThat(billing.subscription(ACME).orElseThrow().planId()).isEqualTo("professional");
  }

  @Test
  void aChangeToAPlanInAnotherCurrencyIsRefusedAndChangesNothing() {
    billing.subscribe(ACME, "starter");
    PlanPrices usd = PriceCatalog.defaults().requirePrices("professional");
    plans.publish(
        "professional", new PlanPrices(Currency.getInstance("EUR"), usd.interval(), usd.charges()));
    at("2026-03-20T00:00:00Z");
    assertThatThrownBy(() -> billing.changePlan(ACME, "professional", false))
        .isInstanceOf(InvalidInputException.class);
    assertThat(billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
  }

  @Test
  void aDowngradeWaitsForThePeriodEndUnlessNow() {
    billing.subscribe(ACME, "professional");
    at("2026-03-20T00:00:00Z");
    PlanChange later = billing.changePlan(ACME, "starter", false);
    assertThat(later.kind()).isEqualTo(PlanChange.Kind.DOWNGRADE);
    assertThat(later.immediate()).isFalse();
    assertThat(later.effectiveAt()).isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
  }

  /**
   * A downgrade waits for the period end, then is in force without anything storing it:
   * Professional to Starter on April 15th bills April on Professional (its fee was paid in advance
   * by March's invoice: no credit, no second charge) and May's fee in advance on Starter; May's
   * invoice bills June on Starter and nothing of Professional; the subscription read after May 1st
   * is on Starter.
   */
  @Test
  void aDowngradeTakesEffectAtThePeriodEndInRunsAndReads() {
    billing.subscribe(ACME, "professional");
    at("2026-04-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 3));
    at("2026-04-04T00:00:00Z");
    billing.finalizeDue();
    at("2026-04-15T12:00:00Z");
    billing.changePlan(ACME, "starter", false);
    assertThat(billing.subscription(ACME).orElseThrow().planId()).isEqualTo("professional");
    assertThat(billing.upcoming(ACME).invoice().lines())
        .extracting(l -> l.description() + " " + l.amount().toPlainString())
        .containsExactly("starter v1 subscription, 2026-05-01 to 2026-05-31 (in advance) 29.00");

    at("2026-05-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 4));
    at("2026-05-04T00:00:00Z");
    assertThat(billing.finalizeDue()).isEqualTo(1);
    var now = billing.subscription(ACME).orElseThrow();
    assertThat(now.planId()).isEqualTo("starter");
    assertThat(now.pending()).isNull();
    assertThat(now.planSince()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
    assertThat(now.history()).extracting(p -> p.planId()).containsExactly("professional");
    assertThat(billing.summary(ACME).period().start()).isEqualTo(LocalDate.of(2026, 5, 1));

    at("2026-06-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 5));
    at("2026-06-04T00:00:00Z");
    assertThat(billing.finalizeDue()).isEqualTo(1);
    List<Invoice> all = billing.invoices(ACME, null, 10).items();
    assertThat(all).hasSize(3);
    Invoice april = period(all, LocalDate.of(2026, 4, 1));
    Invoice may = period(all, LocalDate.of(2026, 5, 1));
    assertThat(april.lines())
        .extracting(l -> l.description() + " " + l.amount().toPlainString())
        .containsExactly("starter v1 subscription, 2026-05-01 to 2026-05-31 (in advance) 29.00");
    assertThat(may.lines())
        .extracting(l -> l.description() + " " + l.amount().toPlainString())
        .containsExactly("starter v1 subscription, 2026-06-01 to 2026-06-30 (in advance) 29.00");
    assertThat(april.creditNotesApplied().isZero()).isTrue();
    assertThat(may.creditNotesApplied().isZero()).isTrue();
    for (Invoice i : all) {
      assertThat(billing.creditNotes(ACME, i.id())).isEmpty();
    }
  }

  private static Invoice period(List<Invoice> all, LocalDate start) {
    return all.stream().filter(i -> i.period().start().equals(start)).findFirst().orElseThrow();
  }

  @Test
  void summaryAndUpcomingOfTheCurrentPeriod() {
    billing.subscribe(ACME, "starter");
    at("2026-03-20T00:00:00Z");
    assertThat(billing.summary(ACME).period().start()).isEqualTo(LocalDate.of(2026, 3, 1));
    assertThat(billing.upcoming(ACME).invoice().tenant()).isEqualTo(ACME);
    assertThatThrownBy(() -> billing.summary(OTHER)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void aRunBillsTheMonthThenInvoicesAreListedRenderedVoidedAndCredited() {
    billing.subscribe(ACME, "starter");
    billing.subscribe(OTHER, "starter");
    at("2026-04-01T00:10:00Z");
    BillingRunRecord started = billing.startRun(YearMonth.of(2026, 3));
    assertThat(billing.run(started.id()).orElseThrow().status())
        .isEqualTo(BillingRunRecord.Status.COMPLETED);
    assertThat(billing.run(started.id()).orElseThrow().invoicesCreated()).isEqualTo(2);
    at("2026-04-04T00:00:00Z");
    assertThat(billing.finalizeDue()).isEqualTo(2);

    Invoice mine = billing.invoices(ACME, null, 10).items().get(0);
    Invoice theirs = billing.invoices(OTHER, null, 10).items().get(0);
    assertThat(billing.invoice(ACME, mine.id())).isEqualTo(mine);
    assertThatThrownBy(() -> billing.invoice(ACME, theirs.id()))
        .isInstanceOf(NotFoundException.class);
    assertThat(
            new String(
                billing.render(ACME, mine.id(), Billing.Format.HTML), StandardCharsets.UTF_8))
        .contains(mine.number().toString());
    assertThat(billing.render(ACME, mine.id(), Billing.Format.PDF))
        .startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));

    CreditNote note =
        billing.issueCreditNote(
            ACME,
            mine.id(),
            CreditNoteRequest.whole(
                "cn-1",
                LocalDate.of(2026, 4, 5),
                CreditNoteReason.OTHER,
                "",
                CreditNoteMethod.CREDIT_BACK));
    assertThat(billing.creditNotes(ACME, mine.id())).containsExactly(note);
    assertThatThrownBy(() -> billing.creditNotes(OTHER, mine.id()))
        .isInstanceOf(NotFoundException.class);

    assertThat(billing.voidInvoice(OTHER, theirs.id()).status()).isEqualTo(InvoiceStatus.VOID);
    assertThatThrownBy(() -> billing.voidInvoice(OTHER, theirs.id()))
        .isInstanceOf(InvoiceStateException.class);
    assertThatThrownBy(() -> billing.voidInvoice(ACME, theirs.id()))
        .isInstanceOf(NotFoundException.class);

    // A second run of the month creates nothing but the voided invoice's replacement.
    BillingRunRecord again = billing.startRun(YearMonth.of(2026, 3));
    assertThat(billing.run(again.id()).orElseThrow().invoicesCreated()).isEqualTo(1);
    assertThat(billing.invoices(OTHER, null, 10).items())
        .extracting(Invoice::status)
        .containsExactlyInAnyOrder(InvoiceStatus.VOID, InvoiceStatus.DRAFT);
    assertThat(billing.invoices(ACME, null, 10).items()).hasSize(1);
    BillingRunRecord third = billing.startRun(YearMonth.of(2026, 3));
    assertThat(billing.run(third.id()).orElseThrow().invoicesCreated()).isZero();
    assertThat(billing.reports().lifetimeValue(ACME)).isNotNull();
  }

  /**
   * The first period's fee is on the first run's invoice: from March 1st with the 14-day trial,
   * March 15th to 31st in advance (29 x 17/31 = 15.90) with April's 29.00.
   */
  @Test
  void theFirstPeriodsFeeIsBilledByTheFirstRun() {
    billing.subscribe(ACME, "starter");
    at("2026-04-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 3));
    Invoice march = billing.invoices(ACME, null, 10).items().get(0);
    assertThat(march.lines())
        .extracting(l -> l.description() + " " + l.amount().toPlainString())
        .containsExactly(
            "starter v1 subscription, 2026-03-15 to 2026-03-31 (in advance, 17 of 31 days) 15.90",
            "starter v1 subscription, 2026-04-01 to 2026-04-30 (in advance) 29.00");
    billing.startRun(YearMonth.of(2026, 3));
    assertThat(billing.invoices(ACME, null, 10).items()).hasSize(1);
  }

  /**
   * The upcoming invoice applies the credit-note and wallet balances as the finalized invoice will,
   * and the credit note a plan change of the period owes as if issued; nothing is consumed or
   * issued. Starter to Professional on April 10th: the preview credits Starter's 21 unused days
   * (20.30 + 2.03 tax) and April's run invoice applies exactly that.
   */
  @Test
  void theUpcomingInvoiceAppliesBalancesAndOwedCreditsWithoutConsumingThem() {
    billing.subscribe(ACME, "starter");
    at("2026-04-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 3));
    at("2026-04-04T00:00:00Z");
    billing.finalizeDue();
    Invoice march = billing.invoices(ACME, null, 10).items().get(0);
    at("2026-04-10T09:00:00Z");
    PlanChange change = billing.changePlan(ACME, "professional", false);
    assertThat(billing.subscription(ACME).orElseThrow().history()).hasSize(1);
    store.credit(ACME, CreditAccount.WALLET, "grant-1", Money.of("10.00", "USD"));
    at("2026-04-20T00:00:00Z");

    Invoice preview = billing.upcoming(ACME).invoice();

    assertThat(preview.lines().get(0).amount()).isEqualTo(change.chargeTotal());
    assertThat(preview.creditNotesApplied()).isEqualTo(Money.of("22.33", "USD"));
    assertThat(preview.prepaidCreditsApplied()).isEqualTo(Money.of("10.00", "USD"));
    assertThat(preview.amountDue()).isEqualTo(preview.total().minus(Money.of("32.33", "USD")));
    assertThat(billing.creditNotes(ACME, march.id())).isEmpty();
    assertThat(store.balance(ACME, CreditAccount.WALLET, preview.currency()))
        .isEqualTo(Money.of("10.00", "USD"));

    at("2026-05-01T00:10:00Z");
    billing.startRun(YearMonth.of(2026, 4));
    Invoice april =
        billing.invoices(ACME, null, 10).items().stream()
            .filter(i -> i.period().start().equals(LocalDate.of(2026, 4, 1)))
            .findFirst()
            .orElseThrow();
    assertThat(april.creditNotesApplied()).isEqualTo(preview.creditNotesApplied());
    assertThat(billing.creditNotes(ACME, march.id()))
        .extracting(n -> n.subtotal())
        .containsExactly(change.creditTotal());
  }

  @Test
  void thePurgerRemovesTheTenantsBillingData() {
    billing.subscribe(ACME, "starter");
    billing.purger().purge(ACME);
    assertThat(billing.subscription(ACME)).isEmpty();
    billing.subscribe(ACME, "starter");
  }

  @Test
  void closeStopsTheRunThreadItOwns() {
    Billing own =
        Billing.builder()
            .store(store)
            .plans(plans)
            .catalog(PriceCatalog.defaults())
            .usage(metering.queries())
            .issuer(new Issuer("Tenantkit Ltd", List.of(), "", "TK"))
            .clock(clock)
            .build();
    own.close();
    assertThatThrownBy(() -> own.startRun(YearMonth.of(2026, 3)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.latestRun("2026-03")).isEmpty();
  }

  @Test
  void theBuilderNeedsItsParts() {
    assertThatThrownBy(() -> Billing.builder().store(store).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
