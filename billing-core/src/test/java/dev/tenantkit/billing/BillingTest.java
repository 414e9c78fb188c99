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
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.TenantId;
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
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(
                MeterCatalog.builder()
                    .add(
                        MeterDefinition.builder("files")
                            .unit("files")
                            .aggregation(Aggregation.LATEST)
                            .build())
                    .add(Meters.STORAGE_BYTES)
                    .add(
                        MeterDefinition.builder("api_calls")
                            .unit("calls")
                            .aggregation(Aggregation.COUNT)
                            .build())
                    .build())
            .clock(clock)
            .build();
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
        .isInstanceOf(NotFoundException.class);
    assertThat(billing.subscription(OTHER)).isEmpty();
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

    // A second run of the month creates nothing.
    BillingRunRecord again = billing.startRun(YearMonth.of(2026, 3));
    assertThat(billing.run(again.id()).orElseThrow().invoicesCreated()).isZero();
    assertThat(billing.reports().lifetimeValue(ACME)).isNotNull();
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
