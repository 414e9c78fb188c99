package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaListener;
import dev.tenantkit.metering.quota.QuotaThresholdEvent;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.UnreliableQuotaStore;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.FakeClock;
import jakarta.servlet.Filter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * What the auto-configured {@link QuotaEnforcer} does with the application's settings and beans:
 * {@code tenantkit.quotas.failure-mode} when its store throws, seen on the bean and through the
 * registered quota filter, and threshold events reaching a {@link QuotaListener} bean.
 */
class QuotaWiringTest {
  private static final TenantId ACME = TenantId.of("acme");

  @TempDir Path dir;

  private final UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());

  private WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitMeteringAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues("tenantkit.data-dir=" + dir.resolve("data"))
        .withBean(TenancyStore.class, InMemoryTenancyStore::create)
        .withBean(FakeClock.class, () -> FakeClock.at(Instant.parse("2026-01-15T12:00:00Z")))
        .withBean(QuotaStore.class, () -> store);
  }

  @Test
  void failOpenAllowsWhileTheStoreThrowsAndEnforcesAgainOnceItAnswers() {
    runner()
        .withPropertyValues("tenantkit.quotas.failure-mode=fail-open")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              QuotaEnforcer quotas = onFreePlan(ctx);
              store.down(true);
              QuotaDecision d = quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 5_000);
              assertThat(d.allowed()).as("5,000 of the free plan's 1,000 calls").isTrue();
              assertThat(d.degraded()).isTrue();
              assertThat(d.reason()).isEqualTo(QuotaDecision.Reason.STORE_UNAVAILABLE);
              assertThat(d.message()).contains("fail-open");
              MockHttpServletResponse res = throughQuotaFilter(ctx);
              assertThat(res.getStatus()).isEqualTo(200);
              assertThat(res.getContentAsString()).isEqualTo("passed");

              store.down(false);
              QuotaDecision back = quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 5_000);
              assertThat(back.allowed()).isFalse();
              assertThat(back.reason()).isEqualTo(QuotaDecision.Reason.LIMIT_EXCEEDED);
            });
  }

  @Test
  void failClosedIsTheDefaultAndDeniesWhileTheStoreThrows() {
    for (String mode : List.of("", "fail-closed")) {
      String[] properties =
          mode.isEmpty() ? new String[0] : new String[] {"tenantkit.quotas.failure-mode=" + mode};
      runner()
          .withPropertyValues(properties)
          .run(
              ctx -> {
                assertThat(ctx).hasNotFailed();
                QuotaEnforcer quotas = onFreePlan(ctx);
                store.down(true);
                QuotaDecision d = quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 1);
                assertThat(d.allowed()).as(mode).isFalse();
                assertThat(d.degraded()).isTrue();
                assertThat(d.reason()).isEqualTo(QuotaDecision.Reason.STORE_UNAVAILABLE);
                assertThat(d.message()).contains("denied (fail-closed)");
                // Operations that answer no decision throw the typed exception in either mode.
                assertThatThrownBy(() -> quotas.admin().status(ACME))
                    .isInstanceOf(QuotaUnavailableException.class);
                MockHttpServletResponse res = throughQuotaFilter(ctx);
                assertThat(res.getStatus()).isEqualTo(503);
                assertThat(res.getContentType()).startsWith("application/problem+json");
                assertThat(res.getContentAsString()).contains("quota-store-unavailable");
                assertThat(res.getHeader("Retry-After")).isEqualTo("5");
                store.down(false);
              });
    }
  }

  @Test
  void theQuotaFilterConsumesWhatItsPropertiesSay() {
    runner()
        .withPropertyValues(
            "tenantkit.quotas.filter.consume.requests-per-minute=1",
            "tenantkit.quotas.filter.unavailable-retry-after=9s")
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              QuotaEnforcer quotas = onFreePlan(ctx);
              // With the default consumption this would be refused: no API call is left.
              quotas.admin().setOverride(ACME, PlanCatalog.API_CALLS, 0L);
              MockHttpServletResponse allowed = throughQuotaFilter(ctx);
              assertThat(allowed.getStatus()).isEqualTo(200);
              assertThat(allowed.getHeader("RateLimit")).startsWith("\"requests_per_minute\";r=29");

              store.down(true);
              MockHttpServletResponse refused = throughQuotaFilter(ctx);
              assertThat(refused.getStatus()).isEqualTo(503);
              assertThat(refused.getHeader("Retry-After")).isEqualTo("9");
              store.down(false);
            });
  }

  @Test
  void badConsumptionPropertiesStopStartupNamingTheProperty() {
    StartupFailures.assertFailsNaming(
        runner().withPropertyValues("tenantkit.quotas.filter.consume.files=1"),
        "tenantkit.quotas.filter.consume",
        "'files' is a gauge");
    StartupFailures.assertFailsNaming(
        runner().withPropertyValues("tenantkit.quotas.filter.consume.tokens=none"),
        "tenantkit.quotas.filter.consume",
        "whole number of 'tokens'");
    StartupFailures.assertFailsNaming(
        runner().withPropertyValues("tenantkit.quotas.filter.consume.apicalls=1"),
        "tenantkit.quotas.filter.consume.apicalls",
        "write limit names with hyphens");
  }

  @Test
  void aQuotaListenerBeanHearsEachThresholdOnce() {
    List<QuotaThresholdEvent> heard = new CopyOnWriteArrayList<>();
    runner()
        .withBean(QuotaListener.class, () -> heard::add)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              QuotaEnforcer quotas = onFreePlan(ctx);
              quotas.admin().setOverride(ACME, PlanCatalog.API_CALLS, 10L);
              for (int i = 0; i < 7; i++) {
                assertThat(quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 1).allowed()).isTrue();
              }
              assertThat(heard).as("7 of 10").isEmpty();
              quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 1);
              assertThat(heard)
                  .singleElement()
                  .satisfies(
                      e -> {
                        assertThat(e.tenant()).isEqualTo(ACME);
                        assertThat(e.limitName()).isEqualTo(PlanCatalog.API_CALLS);
                        assertThat(e.thresholdPercent()).isEqualTo(80);
                        assertThat(e.used()).isEqualTo(8);
                        assertThat(e.limit()).isEqualTo(10);
                        assertThat(e.periodStart())
                            .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
                      });
              // Later use past 80% publishes the next threshold, never 80% again.
              quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 1);
              quotas.tryConsume(ACME, PlanCatalog.API_CALLS, 5);
              assertThat(heard)
                  .extracting(QuotaThresholdEvent::thresholdPercent)
                  .containsExactly(80, 90);
            });
  }

  /** Creates {@link #ACME} on the free plan (while the store is up) and returns the enforcer. */
  private static QuotaEnforcer onFreePlan(AssertableWebApplicationContext ctx) {
    ctx.getBean(Tenancy.class).tenants().create(NewTenant.of(ACME, "Acme", "free"));
    return ctx.getBean(QuotaEnforcer.class);
  }

  /** A request of {@link #ACME} through the registered quota filter; the chain writes "passed". */
  private static MockHttpServletResponse throughQuotaFilter(AssertableWebApplicationContext ctx) {
    FilterRegistrationBean<?> registration =
        ctx.getBean("quotaFilterRegistration", FilterRegistrationBean.class);
    Filter filter = registration.getFilter();
    MockHttpServletRequest req = new MockHttpServletRequest("GET", "/api/things");
    MockHttpServletResponse res = new MockHttpServletResponse();
    MockFilterChain chain =
        new MockFilterChain(
            new jakarta.servlet.http.HttpServlet() {
              @Override
              protected void service(
                  jakarta.servlet.http.HttpServletRequest rq,
                  jakarta.servlet.http.HttpServletResponse rs)
                  throws IOException {
                rs.getWriter().write("passed");
              }
            });
    TenantContext.run(
        ACME,
        () -> {
          try {
            filter.doFilter(req, res, chain);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return res;
  }
}
