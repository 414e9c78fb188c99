package dev.tenantkit.adapters.spring;

import static dev.tenantkit.adapters.spring.StartupFailures.assertFailsNaming;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.adapters.servlet.BillingRoutes;
import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.spring.internal.BillingFinalizeSchedule;
import dev.tenantkit.adapters.spring.internal.BillingPlanOf;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.jdbc.JdbcPlanVersionStore;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class TenantkitBillingAutoConfigurationTest {
  private static final String OPERATOR_KEY = "operator-key-for-tests-0123456789";
  private static final TenantId ACME = TenantId.of("acme");
  private static final String[] ISSUER = {
    "tenantkit.billing.issuer.name=Tenantkit Ltd", "tenantkit.billing.issuer.address[0]=1 Main St"
  };

  @TempDir Path dir;

  /** Tenantkit's auto-configurations on its embedded H2 database. */
  private WebApplicationContextRunner web() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitMeteringAutoConfiguration.class,
                TenantkitBillingAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues("tenantkit.data-dir=" + dir.resolve("data"));
  }

  /** The built-in meters and {@code files}, the number of files held, which the defaults bill. */
  private static MeterCatalog meters() {
    return MeterCatalog.builder()
        .addAll(Meters.BUILT_INS)
        .add(MeterDefinition.builder("files").aggregation(Aggregation.LATEST).build())
        .build();
  }

  /** Billing on with an issuer, on H2. */
  private WebApplicationContextRunner billing() {
    return web()
        .withBean(MeterCatalog.class, TenantkitBillingAutoConfigurationTest::meters)
        .withPropertyValues("tenantkit.billing.enabled=true")
        .withPropertyValues(ISSUER);
  }

  /** Billing on, every store in memory. */
  private WebApplicationContextRunner inMemory() {
    return billing()
        .withBean(TenancyStore.class, InMemoryTenancyStore::create)
        .withBean(UsageStore.class, InMemoryUsageStore::create);
  }

  @Test
  void offByDefaultAndTheQuotasKeepTheirHardDefaults() {
    web()
        .withPropertyValues(ISSUER)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx)
                  .doesNotHaveBean(Billing.class)
                  .doesNotHaveBean(PriceCatalog.class)
                  .doesNotHaveBean(BillingRoutes.class)
                  .doesNotHaveBean(BillingFinalizeSchedule.class)
                  .doesNotHaveBean("tenantkitBillingServlet");
              assertThat(ctx.getBean(PlanCatalog.class)).isEqualTo(PlanCatalog.defaults());
            });
  }

  @Test
  void onItBillsOnTheTenancyDatabaseWithItsRoutesAndSubscribesNewTenants() {
    billing()
        .withPropertyValues("tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx)
                  .hasSingleBean(Billing.class)
                  .hasSingleBean(BillingRoutes.class)
                  .hasSingleBean(BillingFinalizeSchedule.class)
                  .hasBean("tenantkitBillingPurge")
                  .hasBean("tenantkitBillingSubscriber");
              assertThat(ctx.getBean(BillingStore.class)).isInstanceOf(JdbcBillingStore.class);
              assertThat(ctx.getBean(PlanVersionStore.class))
                  .isInstanceOf(JdbcPlanVersionStore.class);
              assertThat(ctx.getBean(PriceCatalog.class)).isEqualTo(PriceCatalog.defaults());
              assertThat(ctx.getBean(PlanVersionStore.class).latest("starter")).isPresent();

              ServletRegistrationBean<?> servlet =
                  ctx.getBean("tenantkitBillingServlet", ServletRegistrationBean.class);
              assertThat(servlet.getUrlMappings())
                  .containsExactlyInAnyOrderElementsOf(BillingRoutes.TENANT_PATHS);

              Tenancy tenancy = ctx.getBean(Tenancy.class);
              Billing billing = ctx.getBean(Billing.class);
              tenancy.tenants().create(NewTenant.of(ACME, "Acme Corp", "starter"));
              Subscription s = billing.subscription(ACME).orElseThrow();
              assertThat(s.planId()).isEqualTo("starter");
              assertThat(s.currency()).isEqualTo(Currency.getInstance("USD"));
              assertThat(billing.summary(ACME)).isNotNull();

              MockHttpServletResponse revenue = admin(ctx, "/revenue");
              assertThat(revenue.getStatus()).as(revenue.getContentAsString()).isEqualTo(200);

              tenancy.tenants().delete(ACME);
              tenancy.tenants().purge(ACME);
              assertThat(billing.subscription(ACME)).isEmpty();
            });
  }

  @Test
  void billingIsKeptInMemoryWhenUsageIs() {
    inMemory()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx.getBean(BillingStore.class)).isInstanceOf(InMemoryBillingStore.class);
              assertThat(ctx.getBean(PlanVersionStore.class))
                  .isInstanceOf(InMemoryPlanVersionStore.class);
            });
  }

  @Test
  void switchesTurnPartsOff() {
    inMemory()
        .withPropertyValues(
            "tenantkit.billing.subscribe-on-create=false",
            "tenantkit.billing.finalize.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx)
                  .hasSingleBean(Billing.class)
                  .doesNotHaveBean("tenantkitBillingSubscriber")
                  .doesNotHaveBean(BillingFinalizeSchedule.class);
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "starter"));
              assertThat(ctx.getBean(Billing.class).subscription(ACME)).isEmpty();
            });
    inMemory()
        .withPropertyValues("tenantkit.metering.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(Billing.class));
  }

  @Test
  void theQuotaEnforcerGetsThePriceCatalogsSoftLimits() {
    inMemory()
        .run(
            ctx -> {
              PlanCatalog limits = ctx.getBean(PlanCatalog.class);
              assertThat(limits).isEqualTo(PriceCatalog.defaults().limits());
              assertThat(limits.plan("starter").orElseThrow().limits().get("files").hardLimit())
                  .isFalse();
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "starter"));
              QuotaEnforcer quotas = ctx.getBean(QuotaEnforcer.class);
              // Starter bills files above 1,000, so the 1,001st is allowed, not denied.
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1_001).allowed()).isTrue();
            });
    // Without billing the same file is denied: the quota defaults are hard.
    web()
        .withBean(TenancyStore.class, InMemoryTenancyStore::create)
        .run(
            ctx -> {
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "starter"));
              assertThat(
                      ctx.getBean(QuotaEnforcer.class)
                          .tryConsume(ACME, PlanCatalog.FILES, 1_001)
                          .allowed())
                  .isFalse();
            });
  }

  /**
   * Quotas and billing agree on the plan: a change through billing moves the quota decisions to the
   * new plan's limits (and the tenant's own plan with it), and an operator's change of the tenant's
   * plan changes its subscription, once. A downgrade that waits for the period end moves the quotas
   * then (within the cache's 5 seconds), not when it is asked for.
   */
  @Test
  void aDeletedTenantsSubscriptionIsCancelledAtOnce() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-10T00:00:00Z"));
    inMemory()
        .withBean(InstantSource.class, () -> clock)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Tenancy tenancy = ctx.getBean(Tenancy.class);
              Billing billing = ctx.getBean(Billing.class);
              tenancy.tenants().create(NewTenant.of(ACME, "Acme", "starter"));
              assertThat(billing.subscription(ACME).orElseThrow().endsAt()).isNull();
              clock.advance(Duration.ofDays(5));
              tenancy.tenants().delete(ACME);
              assertThat(billing.subscription(ACME).orElseThrow().endsAt())
                  .isEqualTo(clock.instant());
            });
  }

  @Test
  void quotasFollowTheSubscriptionAndTheTenantsPlanChangesIt() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-03-10T00:00:00Z"));
    inMemory()
        .withBean(InstantSource.class, () -> clock)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              Tenancy tenancy = ctx.getBean(Tenancy.class);
              Billing billing = ctx.getBean(Billing.class);
              QuotaEnforcer quotas = ctx.getBean(QuotaEnforcer.class);
              tenancy.tenants().create(NewTenant.of(ACME, "Acme", "starter"));
              PlanCatalog limits = ctx.getBean(PlanCatalog.class);
              long starterFiles =
                  limits.plan("starter").orElseThrow().limits().get("files").limit();
              long proFiles =
                  limits.plan("professional").orElseThrow().limits().get("files").limit();
              long enterpriseFiles =
                  limits.plan("enterprise").orElseThrow().limits().get("files").limit();
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1).limit())
                  .isEqualTo(starterFiles);

              billing.changePlan(ACME, "professional", false);
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1).limit()).isEqualTo(proFiles);
              assertThat(tenancy.tenants().get(ACME).planId()).isEqualTo("professional");
              assertThat(billing.subscription(ACME).orElseThrow().history()).hasSize(1);

              tenancy.tenants().changePlan(ACME, "enterprise");
              Subscription s = billing.subscription(ACME).orElseThrow();
              assertThat(s.planId()).isEqualTo("enterprise");
              assertThat(s.history()).hasSize(2);
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1).limit())
                  .isEqualTo(enterpriseFiles);
              // The same plan again, or a rename: nothing changes.
              tenancy.tenants().changePlan(ACME, "enterprise");
              tenancy.tenants().rename(ACME, "Acme Corp");
              assertThat(billing.subscription(ACME).orElseThrow()).isEqualTo(s);

              // A downgrade waits for April 1st: the tenant's plan names it, quotas wait too.
              billing.changePlan(ACME, "starter", false);
              assertThat(tenancy.tenants().get(ACME).planId()).isEqualTo("starter");
              assertThat(billing.subscription(ACME).orElseThrow().pending()).isNotNull();
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1).limit())
                  .isEqualTo(enterpriseFiles);
              clock.advance(
                  Duration.between(clock.instant(), Instant.parse("2026-04-01T00:00:00Z")));
              clock.advance(BillingPlanOf.TTL);
              assertThat(quotas.tryConsume(ACME, PlanCatalog.FILES, 1).limit())
                  .isEqualTo(starterFiles);
              assertThat(billing.subscription(ACME).orElseThrow().planId()).isEqualTo("starter");
            });
  }

  @Test
  void thePricesAreReadFromTheQuotasCatalogFile() throws Exception {
    Path file = dir.resolve("plans.yaml");
    Files.writeString(
        file,
        """
        plans:
          team:
            limits:
              files: { kind: gauge, limit: 10, soft: true }
              api_calls: { kind: allowance, limit: unlimited, per: month }
              requests_per_minute: { kind: rate, limit: unlimited, per: 1m }
            prices:
              currency: EUR
              charges:
                - { code: base, price: { type: flat, amount: "12.50" } }
                - { code: files_overage, limit: files, price: { type: standard, unit_price: "2" } }
        """);
    inMemory()
        .withPropertyValues(
            "tenantkit.quotas.catalog-location=file:" + file, "tenantkit.billing.currency=EUR")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              PriceCatalog catalog = ctx.getBean(PriceCatalog.class);
              assertThat(catalog.requirePrices("team").recurringFee())
                  .isEqualTo(Money.of("12.50", "EUR"));
              assertThat(ctx.getBean(PlanCatalog.class)).isEqualTo(catalog.limits());
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "team"));
              assertThat(ctx.getBean(Billing.class).subscription(ACME).orElseThrow().currency())
                  .isEqualTo(Currency.getInstance("EUR"));
            });
    assertFailsNaming(
        inMemory()
            .withPropertyValues(
                "tenantkit.quotas.catalog-location=file:" + file, "tenantkit.billing.currency=USD"),
        "tenantkit.billing.currency",
        "prices plan 'team' in EUR");
  }

  @Test
  void rawUsageIsKeptAtLeast45DaysWithBillingOn() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    inMemory()
        .withBean(InstantSource.class, () -> clock)
        .withPropertyValues("tenantkit.metering.rollup.enabled=false")
        .run(
            ctx -> {
              Metering metering = ctx.getBean(Metering.class);
              UsageEvent event =
                  UsageEvent.builder(ACME, "files_uploaded")
                      .timestamp(clock.instant())
                      .idempotencyKey("one")
                      .build();
              assertThat(metering.usageMeter().record(event).status())
                  .isEqualTo(RecordOutcome.Status.ACCEPTED);
              // Metering alone keeps raw events 30 days; billing needs the last period's.
              clock.advance(Duration.ofDays(44));
              assertThat(metering.rollups().run().rawEventsDeleted()).isZero();
              clock.advance(Duration.ofDays(2));
              assertThat(metering.rollups().run().rawEventsDeleted()).isEqualTo(1);
            });
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.metering.raw-retention=30d"),
        "tenantkit.metering.raw-retention",
        "at least 45 days");
    assertFailsNaming(
        inMemory()
            .withPropertyValues(
                "tenantkit.metering.raw-retention=50d", "tenantkit.billing.grace=20d"),
        "tenantkit.metering.raw-retention",
        "at least 52 days");
    inMemory()
        .withPropertyValues("tenantkit.metering.raw-retention=60d")
        .run(ctx -> assertThat(ctx).hasNotFailed());
  }

  @Test
  void badPropertiesStopStartupNamingTheProperty() {
    WebApplicationContextRunner on =
        web()
            .withBean(MeterCatalog.class, TenantkitBillingAutoConfigurationTest::meters)
            .withBean(TenancyStore.class, InMemoryTenancyStore::create)
            .withBean(UsageStore.class, InMemoryUsageStore::create)
            .withPropertyValues("tenantkit.billing.enabled=true");
    assertFailsNaming(
        on.withPropertyValues("tenantkit.billing.issuer.address[0]=1 Main St"),
        "tenantkit.billing.issuer.name",
        "is required");
    assertFailsNaming(
        on.withPropertyValues("tenantkit.billing.issuer.name=Tenantkit Ltd"),
        "tenantkit.billing.issuer.address",
        "is required");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.issuer.number-prefix=tk-"),
        "tenantkit.billing.issuer.number-prefix",
        "is not valid");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.tax-rate=100.5"),
        "tenantkit.billing.tax-rate",
        "from 0 to 100");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.tax-rate=-1"),
        "tenantkit.billing.tax-rate",
        "from 0 to 100");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.grace=-1h"),
        "tenantkit.billing.grace",
        "zero or more");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.currency=XYZ"),
        "tenantkit.billing.currency",
        "not an ISO 4217 currency code");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.currency=usd"),
        "tenantkit.billing.currency",
        "not an ISO 4217 currency code");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.currency=EUR"),
        "tenantkit.billing.currency",
        "prices plan 'free' in USD");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.finalize.interval=0s"),
        "tenantkit.billing.finalize.interval",
        "must be positive");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.billing.read-scope= "),
        "tenantkit.billing.read-scope",
        "one scope");
    assertFailsNaming(
        inMemory().withPropertyValues("tenantkit.filter.url-patterns=/v1/*"),
        "tenantkit.filter.url-patterns",
        "do not cover the billing route /api/billing/*");
    assertFailsNaming(
        inMemory()
            .withPropertyValues(
                "tenantkit.quotas.plans.team.files.kind=gauge",
                "tenantkit.quotas.plans.team.files.limit=5"),
        "tenantkit.quotas.plans",
        "cannot carry prices");
  }

  @Test
  void aChargeOnAnUndeclaredMeterStopsStartup() {
    // The built-in meters lack 'files', which the default plans bill.
    assertFailsNaming(
        web()
            .withBean(TenancyStore.class, InMemoryTenancyStore::create)
            .withBean(UsageStore.class, InMemoryUsageStore::create)
            .withPropertyValues("tenantkit.billing.enabled=true")
            .withPropertyValues(ISSUER),
        "tenantkit.billing.enabled",
        "unknown meter 'files'");
  }

  @Test
  void propertyMetadataIsGenerated() throws Exception {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata)
          .contains(
              "\"tenantkit.billing.enabled\"",
              "\"tenantkit.billing.tax-rate\"",
              "\"tenantkit.billing.grace\"",
              "\"tenantkit.billing.currency\"",
              "\"tenantkit.billing.issuer.name\"",
              "\"tenantkit.billing.issuer.address\"",
              "\"tenantkit.billing.finalize.interval\"");
    }
  }

  private static MockHttpServletResponse admin(AssertableWebApplicationContext ctx, String path)
      throws Exception {
    TenantAdminServlet servlet =
        (TenantAdminServlet)
            ctx.getBean("tenantAdminServletRegistration", ServletRegistrationBean.class)
                .getServlet();
    MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin" + path);
    request.setServletPath("/admin");
    request.setPathInfo(path);
    request.addHeader("Authorization", "Bearer " + OPERATOR_KEY);
    MockHttpServletResponse response = new MockHttpServletResponse();
    servlet.service(request, response);
    return response;
  }
}
