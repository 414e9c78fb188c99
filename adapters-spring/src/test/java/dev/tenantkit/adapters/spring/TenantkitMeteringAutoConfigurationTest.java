package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.adapters.servlet.MeteringAdminRoutes;
import dev.tenantkit.adapters.servlet.QuotaFilter;
import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.servlet.UsageMeteringFilter;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.RollupSchedule;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class TenantkitMeteringAutoConfigurationTest {
  private static final String OPERATOR_KEY = "operator-key-for-tests-0123456789";
  private static final TenantId ACME = TenantId.of("acme");

  @TempDir Path dir;

  /** The three auto-configurations on Tenantkit's embedded H2 database. */
  private WebApplicationContextRunner web() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitMeteringAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues("tenantkit.data-dir=" + dir.resolve("data"));
  }

  /** The same without a database: in-memory stores, for tests about anything else. */
  private WebApplicationContextRunner inMemory() {
    return web().withBean(TenancyStore.class, InMemoryTenancyStore::create);
  }

  @Test
  void byDefaultMeteringAndQuotasRunOnTheTenancyDatabaseBehindTheTenantFilter() {
    web()
        .withPropertyValues("tenantkit.operator-key=" + OPERATOR_KEY)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx)
                  .hasSingleBean(Metering.class)
                  .hasSingleBean(UsageMeter.class)
                  .hasSingleBean(UsageQueries.class)
                  .hasSingleBean(QuotaEnforcer.class)
                  .hasSingleBean(MeteringAdminRoutes.class)
                  .hasSingleBean(RollupSchedule.class)
                  .hasBean("tenantkitTaskScheduler");
              assertThat(ctx.getBean(UsageStore.class)).isInstanceOf(JdbcUsageStore.class);
              assertThat(ctx.getBean(QuotaStore.class)).isInstanceOf(JdbcQuotaStore.class);
              assertThat(ctx.getBean(PlanCatalog.class)).isEqualTo(PlanCatalog.defaults());
              assertThat(ctx.getBean(UsageMeter.class))
                  .isSameAs(ctx.getBean(Metering.class).usageMeter());

              FilterRegistrationBean<?> tenant = registration(ctx, "tenantFilterRegistration");
              FilterRegistrationBean<?> metering =
                  registration(ctx, "usageMeteringFilterRegistration");
              FilterRegistrationBean<?> quota = registration(ctx, "quotaFilterRegistration");
              assertThat(metering.getFilter()).isInstanceOf(UsageMeteringFilter.class);
              assertThat(quota.getFilter()).isInstanceOf(QuotaFilter.class);
              assertThat(List.of(tenant.getOrder(), metering.getOrder(), quota.getOrder()))
                  .containsExactly(0, 1, 2);
              assertThat(metering.getUrlPatterns()).containsExactly("/api/*");
              assertThat(quota.getUrlPatterns()).containsExactly("/api/*");
              assertThat(metering.determineDispatcherTypes())
                  .containsExactly(DispatcherType.REQUEST);
              assertThat(quota.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);

              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              MockHttpServletResponse quotas = admin(ctx, "/tenants/acme/quotas");
              assertThat(quotas.getStatus()).as(quotas.getContentAsString()).isEqualTo(200);
              assertThat(quotas.getContentAsString()).contains("\"requests_per_minute\"");
              assertThat(admin(ctx, "/usage").getStatus()).isEqualTo(200);
            });
  }

  @Test
  void theFilterOrderFollowsTheTenantFiltersAndCanBeSet() {
    inMemory()
        .withPropertyValues("tenantkit.filter.order=-50", "tenantkit.quotas.filter.order=7")
        .run(
            ctx -> {
              assertThat(registration(ctx, "usageMeteringFilterRegistration").getOrder())
                  .isEqualTo(-49);
              assertThat(registration(ctx, "quotaFilterRegistration").getOrder()).isEqualTo(7);
            });
  }

  @Test
  void eachSwitchTurnsItsPartOff() {
    inMemory()
        .withPropertyValues("tenantkit.metering.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx)
                  .doesNotHaveBean(Metering.class)
                  .doesNotHaveBean(UsageMeter.class)
                  .doesNotHaveBean("usageMeteringFilterRegistration")
                  .hasSingleBean(QuotaEnforcer.class)
                  .hasBean("quotaFilterRegistration")
                  .hasSingleBean(MeteringAdminRoutes.class);
            });
    inMemory()
        .withPropertyValues("tenantkit.quotas.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .doesNotHaveBean(QuotaEnforcer.class)
                    .doesNotHaveBean(PlanCatalog.class)
                    .doesNotHaveBean("quotaFilterRegistration")
                    .hasSingleBean(Metering.class)
                    .hasBean("usageMeteringFilterRegistration"));
    inMemory()
        .withPropertyValues("tenantkit.metering.enabled=false", "tenantkit.quotas.enabled=false")
        .run(ctx -> assertThat(ctx).doesNotHaveBean(MeteringAdminRoutes.class));
    inMemory()
        .withPropertyValues(
            "tenantkit.metering.filter.enabled=false", "tenantkit.quotas.filter.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .hasSingleBean(Metering.class)
                    .hasSingleBean(QuotaEnforcer.class)
                    .doesNotHaveBean("usageMeteringFilterRegistration")
                    .doesNotHaveBean("quotaFilterRegistration"));
    inMemory()
        .withPropertyValues("tenantkit.enabled=false")
        .run(
            ctx ->
                assertThat(ctx)
                    .doesNotHaveBean(Metering.class)
                    .doesNotHaveBean(QuotaEnforcer.class));
  }

  @Test
  void theApplicationsOwnBeansWin() {
    PlanCatalog mine =
        PlanCatalog.builder()
            .plan(
                Plan.builder("free")
                    .limit("api_calls", LimitSpec.allowance(5, ResetPeriod.DAY))
                    .limit("requests_per_minute", LimitSpec.rate(5, Duration.ofMinutes(1)))
                    .build())
            .build();
    InMemoryQuotaStore quotaStore = InMemoryQuotaStore.create();
    InMemoryUsageStore usageStore = InMemoryUsageStore.create();
    web()
        .withBean(PlanCatalog.class, () -> mine)
        .withBean(QuotaStore.class, () -> quotaStore)
        .withBean(UsageStore.class, () -> usageStore)
        .run(
            ctx -> {
              assertThat(ctx.getBean(QuotaEnforcer.class).admin().catalog()).isSameAs(mine);
              assertThat(ctx.getBean(QuotaStore.class)).isSameAs(quotaStore);
              assertThat(ctx.getBean(UsageStore.class)).isSameAs(usageStore);
            });
    QuotaEnforcer enforcer = Quotas.builder().planOf(id -> "free").build();
    inMemory()
        .withBean(QuotaEnforcer.class, () -> enforcer)
        .run(
            ctx -> {
              assertThat(ctx.getBean(QuotaEnforcer.class)).isSameAs(enforcer);
            });
  }

  @Test
  void bufferedUsageIsWrittenWhenTheContextCloses() {
    InMemoryUsageStore store = InMemoryUsageStore.create();
    inMemory()
        .withBean(UsageStore.class, () -> store)
        .run(
            ctx ->
                ctx.getBean(UsageMeter.class)
                    .record(
                        UsageEvent.builder(ACME, "api_calls").dimension("status", "200").build()));

    assertThat(store.events(ACME, EventFilter.all(), Long.MAX_VALUE, 10)).hasSize(1);
  }

  @Test
  void aPurgedTenantsQuotaStateIsPurged() {
    InMemoryQuotaStore store = InMemoryQuotaStore.create();
    inMemory()
        .withBean(QuotaStore.class, () -> store)
        .run(
            ctx -> {
              Tenancy tenancy = ctx.getBean(Tenancy.class);
              tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
              ctx.getBean(QuotaEnforcer.class).admin().setOverride(ACME, "api_calls", 5L);
              assertThat(store.overrides(ACME)).containsEntry("api_calls", 5L);

              tenancy.tenants().delete(ACME);
              tenancy.tenants().purge(ACME);

              assertThat(store.overrides(ACME)).isEmpty();
            });
  }

  @Test
  void withQuotasOnTenantsCanOnlyBeOnPlansOfTheCatalog() {
    inMemory()
        .run(
            ctx -> {
              TenantService tenants = ctx.getBean(Tenancy.class).tenants();
              assertThatThrownBy(() -> tenants.create(NewTenant.of(ACME, "Acme", "gold")))
                  .isInstanceOf(InvalidInputException.class)
                  .hasMessageContaining("gold");
              tenants.create(NewTenant.of(ACME, "Acme", "professional"));
              assertThatThrownBy(() -> tenants.changePlan(ACME, "gold"))
                  .isInstanceOf(InvalidInputException.class);
            });
    inMemory()
        .withPropertyValues("tenantkit.quotas.enabled=false")
        .run(
            ctx ->
                assertThat(
                        ctx.getBean(Tenancy.class)
                            .tenants()
                            .create(NewTenant.of(ACME, "Acme", "gold"))
                            .planId())
                    .isEqualTo("gold"));
  }

  @Test
  void theCatalogComesFromAJsonOrYamlFile() throws Exception {
    Path json = dir.resolve("plans.json");
    Files.writeString(
        json,
        """
        {"zone": "Europe/Berlin", "plans": {"free": {"limits": {
          "api_calls": {"kind": "allowance", "limit": 100, "per": "day"},
          "requests_per_minute": {"kind": "rate", "limit": 10, "per": "1m"}}}}}
        """);
    inMemory()
        .withPropertyValues("tenantkit.quotas.catalog-location=file:" + json)
        .run(
            ctx -> {
              PlanCatalog catalog = ctx.getBean(PlanCatalog.class);
              assertThat(catalog.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
              assertThat(catalog.plan("free").orElseThrow().limits().get("api_calls"))
                  .isEqualTo(LimitSpec.allowance(100, ResetPeriod.DAY));
            });
    Path yaml = dir.resolve("plans.yml");
    Files.writeString(
        yaml,
        """
        plans:
          team:
            limits:
              api_calls: { kind: allowance, limit: unlimited, per: month }
              requests_per_minute: { kind: rate, limit: 60, per: 1m, soft: true }
        """);
    inMemory()
        .withPropertyValues(
            "tenantkit.quotas.catalog-location=file:" + yaml, "tenantkit.quotas.zone=Asia/Tokyo")
        .run(
            ctx -> {
              PlanCatalog catalog = ctx.getBean(PlanCatalog.class);
              assertThat(catalog.zone()).isEqualTo(ZoneId.of("Asia/Tokyo"));
              LimitSpec rpm =
                  catalog.plan("team").orElseThrow().limits().get("requests_per_minute");
              assertThat(rpm).isEqualTo(LimitSpec.rate(60, Duration.ofMinutes(1)).asSoft());
            });
  }

  @Test
  void theCatalogComesFromProperties() {
    inMemory()
        .withPropertyValues(
            "tenantkit.quotas.plans.free.api-calls.kind=allowance",
            "tenantkit.quotas.plans.free.api-calls.limit=1_000",
            "tenantkit.quotas.plans.free.api-calls.period=month",
            "tenantkit.quotas.plans.free[requests_per_minute].kind=rate",
            "tenantkit.quotas.plans.free[requests_per_minute].limit=30",
            "tenantkit.quotas.plans.free[requests_per_minute].period=1m",
            "tenantkit.quotas.plans.free[requests_per_minute].refill=15",
            "tenantkit.quotas.plans.free.seats.kind=gauge",
            "tenantkit.quotas.plans.free.seats.limit=5",
            "tenantkit.quotas.plans.free.seats.soft=true",
            "tenantkit.quotas.plans.big.api-calls.kind=allowance",
            "tenantkit.quotas.plans.big.api-calls.limit=unlimited",
            "tenantkit.quotas.plans.big.api-calls.period=month",
            "tenantkit.quotas.plans.big.requests-per-minute.kind=rate",
            "tenantkit.quotas.plans.big.requests-per-minute.limit=unlimited",
            "tenantkit.quotas.plans.big.requests-per-minute.period=1m",
            "tenantkit.quotas.plans.big.seats.kind=gauge",
            "tenantkit.quotas.plans.big.seats.limit=unlimited",
            "tenantkit.quotas.zone=Europe/Paris",
            "tenantkit.quotas.failure-mode=fail-open")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              PlanCatalog catalog = ctx.getBean(PlanCatalog.class);
              assertThat(catalog.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
              Plan free = catalog.plan("free").orElseThrow();
              assertThat(free.limits().get("api_calls"))
                  .isEqualTo(LimitSpec.allowance(1000, ResetPeriod.MONTH));
              assertThat(free.limits().get("requests_per_minute"))
                  .isEqualTo(LimitSpec.rate(30, 15, Duration.ofMinutes(1)));
              assertThat(free.limits().get("seats")).isEqualTo(LimitSpec.gauge(5).asSoft());
              assertThat(catalog.plan("big").orElseThrow().limits().get("seats").kind())
                  .isEqualTo(LimitKind.GAUGE);
              assertThat(ctx.getBean(TenantkitProperties.class).quotas().failureMode())
                  .isEqualTo(FailureMode.FAIL_OPEN);
            });
  }

  @Test
  void badCatalogsStopStartupNamingTheProperty() throws Exception {
    String location = "tenantkit.quotas.catalog-location";
    assertStartupFails(location, "does not exist", location + "=file:" + dir.resolve("no.json"));
    assertStartupFails(
        location, ".json, .yaml or .yml", location + "=file:" + dir.resolve("p.txt"));
    Path broken = dir.resolve("broken.yaml");
    Files.writeString(
        broken, "plans:\n  free:\n    limits:\n      api_calls: { kind: allowance, limit: 5 }\n");
    assertStartupFails(location, "plans.free.limits.api_calls.per", location + "=file:" + broken);
    assertStartupFails(
        "tenantkit.quotas.plans.free.api-calls.kind",
        "'hourly' is not allowance, rate or gauge",
        "tenantkit.quotas.plans.free.api-calls.kind=hourly",
        "tenantkit.quotas.plans.free.api-calls.limit=5");
    assertStartupFails(
        "tenantkit.quotas.plans.free.api-calls.period",
        "an allowance needs 'period'",
        "tenantkit.quotas.plans.free.api-calls.kind=allowance",
        "tenantkit.quotas.plans.free.api-calls.limit=5");
    assertStartupFails(
        "tenantkit.quotas.plans.free.apicalls",
        "write limit names with hyphens",
        "tenantkit.quotas.plans.free.apicalls.kind=allowance");
    assertStartupFails(
        "tenantkit.quotas.plans",
        "together with tenantkit.quotas.catalog-location",
        location + "=file:" + broken,
        "tenantkit.quotas.plans.free.seats.kind=gauge");
    assertStartupFails(
        "tenantkit.quotas.zone", "not a time zone id", "tenantkit.quotas.zone=Mars/Base");
    assertStartupFails(
        "tenantkit.metering.rollup.interval",
        "must be positive",
        "tenantkit.metering.rollup.interval=0s");
    assertStartupFails(
        "tenantkit.metering.raw-retention",
        "at least 1 hour",
        "tenantkit.metering.raw-retention=10m");
    assertStartupFails(
        "tenantkit.metering.idempotency-retention",
        "at least 35 days",
        "tenantkit.metering.idempotency-retention=7d");
  }

  @Test
  void anH2DatabaseOutsidePostgresqlModeIsRefusedAtStartup() {
    try (HikariDataSource plain = new HikariDataSource()) {
      plain.setJdbcUrl("jdbc:h2:mem:plain-mode;DB_CLOSE_DELAY=-1");
      web()
          .withBean("appDataSource", DataSource.class, () -> plain)
          .run(
              ctx -> {
                assertThat(ctx).hasFailed();
                InvalidPropertyException cause = null;
                for (Throwable t = ctx.getStartupFailure(); t != null; t = t.getCause()) {
                  if (t instanceof InvalidPropertyException e) {
                    cause = e;
                  }
                }
                assertThat(cause).isNotNull();
                assertThat(cause.property()).isEqualTo("spring.datasource.url");
                assertThat(cause.getMessage()).contains("MODE=PostgreSQL");
              });
    }
  }

  @Test
  void theRollupJobIsScheduledByDefaultAndStopsWithTheContext() {
    ThreadPoolTaskScheduler[] scheduler = new ThreadPoolTaskScheduler[1];
    RollupSchedule[] schedule = new RollupSchedule[1];
    inMemory()
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              schedule[0] = ctx.getBean(RollupSchedule.class);
              scheduler[0] = ctx.getBean("tenantkitTaskScheduler", ThreadPoolTaskScheduler.class);
              assertThat(schedule[0].isRunning()).isTrue();
            });
    assertThat(schedule[0].isRunning()).isFalse();
    assertThat(scheduler[0].getScheduledExecutor().isShutdown()).isTrue();
  }

  @Test
  void theRollupScheduleCanBeTurnedOff() {
    inMemory()
        .withPropertyValues("tenantkit.metering.rollup.enabled=false")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              assertThat(ctx).doesNotHaveBean(RollupSchedule.class);
              assertThat(ctx).doesNotHaveBean("tenantkitTaskScheduler");
            });
  }

  @Test
  void retentionPropertiesReachTheRollupJob() {
    FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    inMemory()
        .withBean(InstantSource.class, () -> clock)
        .withPropertyValues(
            "tenantkit.metering.rollup.enabled=false", "tenantkit.metering.raw-retention=2h")
        .run(
            ctx -> {
              Metering metering = ctx.getBean(Metering.class);
              TenantId acme = TenantId.of("acme");
              UsageEvent event =
                  UsageEvent.builder(acme, "files_uploaded")
                      .timestamp(clock.instant())
                      .idempotencyKey("one")
                      .build();
              assertThat(metering.usageMeter().record(event).status())
                  .isEqualTo(RecordOutcome.Status.ACCEPTED);
              clock.advance(Duration.ofHours(4));
              RollupReport report = metering.rollups().run();
              // Kept 30 days by default; with raw-retention=2h it is gone after 4 hours.
              assertThat(report.rawEventsDeleted()).isEqualTo(1);
            });
  }

  @Test
  void propertyMetadataIsGenerated() throws Exception {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata)
          .contains(
              "\"tenantkit.metering.enabled\"",
              "\"tenantkit.metering.filter.enabled\"",
              "\"tenantkit.metering.rollup.interval\"",
              "\"tenantkit.metering.rollup.enabled\"",
              "\"tenantkit.metering.raw-retention\"",
              "\"tenantkit.quotas.enabled\"",
              "\"tenantkit.quotas.filter.enabled\"",
              "\"tenantkit.quotas.catalog-location\"",
              "\"tenantkit.quotas.failure-mode\"",
              "\"tenantkit.quotas.zone\"",
              "\"tenantkit.metrics.tenant-tags\"");
    }
  }

  @Test
  void tenantTagsAreOffByDefaultAndSharedByMeteringAndQuotasWhenAskedFor() {
    inMemory()
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            ctx -> {
              assertThat(ctx.getBean(TenantTags.class).enabled()).isFalse();
              ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
              ctx.getBean(QuotaEnforcer.class).tryConsume(ACME, "requests_per_minute", 1);
              assertThat(ctx.getBean(MeterRegistry.class).getMeters())
                  .isNotEmpty()
                  .allSatisfy(m -> assertThat(m.getId().getTag(TenantTags.KEY)).isNull());
            });
    inMemory()
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withPropertyValues("tenantkit.metrics.tenant-tags=1")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              TenantService tenants = ctx.getBean(Tenancy.class).tenants();
              tenants.create(NewTenant.of(ACME, "Acme", "free"));
              tenants.create(NewTenant.of(TenantId.of("globex"), "Globex", "free"));
              QuotaEnforcer quotas = ctx.getBean(QuotaEnforcer.class);
              quotas.tryConsume(ACME, "requests_per_minute", 1);
              quotas.tryConsume(TenantId.of("globex"), "requests_per_minute", 1);
              ctx.getBean(UsageMeter.class)
                  .recordAll(
                      List.of(
                          UsageEvent.builder(TenantId.of("globex"), "tokens").quantity(5).build()));

              MeterRegistry registry = ctx.getBean(MeterRegistry.class);
              assertThat(
                      registry
                          .get("tenantkit.quota.decisions")
                          .tag(TenantTags.KEY, "acme")
                          .counter()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      registry
                          .get("tenantkit.usage.events.recorded")
                          .tag(TenantTags.KEY, TenantTags.OTHER)
                          .counter()
                          .count())
                  .as("globex came second: metering and quotas share one TenantTags")
                  .isEqualTo(1);
            });
    assertStartupFails(
        "tenantkit.metrics.tenant-tags",
        "0 (no tenant tag) to 10000",
        "tenantkit.metrics.tenant-tags=-1");
  }

  private void assertStartupFails(String property, String problem, String... properties) {
    StartupFailures.assertFailsNaming(inMemory().withPropertyValues(properties), property, problem);
  }

  private static FilterRegistrationBean<?> registration(
      AssertableWebApplicationContext ctx, String name) {
    return ctx.getBean(name, FilterRegistrationBean.class);
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
