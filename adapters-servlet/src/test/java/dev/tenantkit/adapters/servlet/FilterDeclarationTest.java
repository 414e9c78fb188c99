package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.TenantFilterConfigTest.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.testkit.UnreliableQuotaStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/**
 * The three filters declared the web.xml way: created by the container from their class, their
 * collaborators taken from servlet context attributes and their settings from init-params.
 */
class FilterDeclarationTest {
  private final FakeClock clock = FakeClock.create();
  private final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  private final TenantAccess access =
      TenantAccess.of(
          TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
  private final BlockingQueue<List<UsageEvent>> metered = new LinkedBlockingQueue<>();
  private final UsageMeter meter = new CapturingMeter(metered);

  /** 10 requests a minute, but only 1 API call a month. */
  private final PlanCatalog catalog =
      PlanCatalog.builder()
          .plan(
              Plan.builder("team")
                  .limit(PlanCatalog.REQUESTS_PER_MINUTE, LimitSpec.rate(10, Duration.ofMinutes(1)))
                  .limit(PlanCatalog.API_CALLS, LimitSpec.allowance(1, ResetPeriod.MONTH))
                  .build())
          .build();

  @Test
  void theQuotaAndMeteringFiltersTakeTheirSetUpFromContextAttributesAndInitParams()
      throws Exception {
    String key = tenant();
    QuotaEnforcer quotas = quotas(InMemoryQuotaStore.create());
    try (Harness http =
        Harness.start(
            context -> {
              context.setAttribute(UsageMeteringFilter.METER_ATTRIBUTE, meter);
              context.setAttribute(
                  UsageMeteringFilter.METER_REGISTRY_ATTRIBUTE, new SimpleMeterRegistry());
              context.setAttribute(QuotaFilter.ENFORCER_ATTRIBUTE, quotas);
              declare(context, Map.of(QuotaFilter.CONSUME_PARAM, " requests_per_minute = 5 ,"));
            })) {
      String[] auth = {"Authorization", "Bearer " + key};

      // Each call takes 5 of the 10 tokens and none of the single API call of the month: the
      // init-param replaced the default consumption.
      assertThat(http.get("/api/items", auth).status()).isEqualTo(200);
      Harness.Response second = http.get("/api/items", auth);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.header("RateLimit-Policy")).isEqualTo("\"requests_per_minute\";q=10;w=60");
      Harness.Response third = http.get("/api/items", auth);
      TenantFilterTest.assertProblem(third, 429, "quota-exceeded");
      assertThat(third.json().path("limit").asText()).isEqualTo("requests_per_minute");

      for (String status : List.of("200", "200", "429")) {
        List<UsageEvent> events = metered.poll(30, TimeUnit.SECONDS);
        assertThat(events).as("the call was metered").isNotNull();
        assertThat(events.get(0).meter()).isEqualTo("api_calls");
        assertThat(events.get(0).dimensions()).containsEntry("status", status);
      }
    }
  }

  @Test
  void theUnavailableRetryAfterInitParamSetsTheRetryAfterOfA503() throws Exception {
    String key = tenant();
    UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());
    QuotaEnforcer quotas = quotas(store);
    try (Harness http =
        Harness.start(
            context -> {
              context.setAttribute(UsageMeteringFilter.METER_ATTRIBUTE, meter);
              context.setAttribute(QuotaFilter.ENFORCER_ATTRIBUTE, quotas);
              declare(
                  context,
                  Map.of(
                      QuotaFilter.CONSUME_PARAM,
                      "requests_per_minute=1",
                      QuotaFilter.UNAVAILABLE_RETRY_AFTER_PARAM,
                      "7s"));
            })) {
      store.down(true);

      Harness.Response refused = http.get("/api/items", "Authorization", "Bearer " + key);

      TenantFilterTest.assertProblem(refused, 503, "quota-store-unavailable");
      assertThat(refused.header("Retry-After")).isEqualTo("7");
    }
  }

  @Test
  void malformedInitParamsStopTheFilterNamingTheParam() {
    QuotaEnforcer quotas = quotas(InMemoryQuotaStore.create());
    Map<String, Object> attributes = Map.of(QuotaFilter.ENFORCER_ATTRIBUTE, quotas);

    assertInitFails(
        new QuotaFilter(), attributes, Map.of("consume", "api_calls"), "'consume'", "limit=amount");
    assertInitFails(
        new QuotaFilter(),
        attributes,
        Map.of("consume", "api_calls=lots"),
        "'consume'",
        "whole number");
    assertInitFails(
        new QuotaFilter(), attributes, Map.of("consume", "api_calls=0"), "'consume'", "at least 1");
    assertInitFails(
        new QuotaFilter(), attributes, Map.of("consume", "seats=1"), "'consume'", "has no limit");
    assertInitFails(
        new QuotaFilter(),
        attributes,
        Map.of("unavailable-retry-after", "soon"),
        "'unavailable-retry-after'",
        "not a duration");
    assertInitFails(
        new QuotaFilter(),
        attributes,
        Map.of("unavailable-retry-after", "0s"),
        "'unavailable-retry-after'",
        "must be positive");
    assertInitFails(
        new QuotaFilter(), attributes, Map.of("consumes", "api_calls=1"), "'consumes'", "known");
    assertInitFails(
        new UsageMeteringFilter(),
        Map.of(UsageMeteringFilter.METER_ATTRIBUTE, meter),
        Map.of("route-resolver", "spring"),
        "'route-resolver'",
        "none is taken");
    assertInitFails(
        new TenantFilter(),
        Map.of(TenantFilter.ACCESS_ATTRIBUTE, access),
        Map.of("exclude-path", "/health"),
        "'exclude-path'",
        "not a setting of the tenant filter");
  }

  @Test
  void aMissingOrWrongContextAttributeStopsTheFilterNamingIt() {
    assertInitFails(
        new QuotaFilter(), Map.of(), Map.of(), QuotaFilter.ENFORCER_ATTRIBUTE, "there is none");
    assertInitFails(
        new UsageMeteringFilter(),
        Map.of(UsageMeteringFilter.METER_ATTRIBUTE, "a meter"),
        Map.of(),
        UsageMeteringFilter.METER_ATTRIBUTE,
        "java.lang.String");
    assertInitFails(
        new UsageMeteringFilter(),
        Map.of(
            UsageMeteringFilter.METER_ATTRIBUTE,
            meter,
            UsageMeteringFilter.METER_REGISTRY_ATTRIBUTE,
            "a registry"),
        Map.of(),
        UsageMeteringFilter.METER_REGISTRY_ATTRIBUTE,
        "java.lang.String");
  }

  @Test
  void filtersUsedBeforeInitRefuseToRun() {
    assertThatThrownBy(() -> new QuotaFilter().doFilter(null, null, (q, s) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("init");
    assertThatThrownBy(() -> new UsageMeteringFilter().doFilter(null, null, (q, s) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("init");
  }

  private static void assertInitFails(
      Filter filter,
      Map<String, Object> attributes,
      Map<String, String> params,
      String names,
      String says) {
    assertThatThrownBy(() -> filter.init(config(attributes, params)))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining(filter.getClass().getSimpleName())
        .hasMessageContaining(names)
        .hasMessageContaining(says);
  }

  /** The three filters by class, as web.xml declares them, in front of a servlet answering 200. */
  private void declare(ServletContextHandler context, Map<String, String> quotaParams) {
    context.setAttribute(TenantFilter.ACCESS_ATTRIBUTE, access);
    EnumSet<DispatcherType> request = EnumSet.of(DispatcherType.REQUEST);
    context.addFilter(new FilterHolder(TenantFilter.class), "/api/*", request);
    context.addFilter(new FilterHolder(UsageMeteringFilter.class), "/api/*", request);
    FilterHolder quota = new FilterHolder(QuotaFilter.class);
    quotaParams.forEach(quota::setInitParameter);
    context.addFilter(quota, "/api/*", request);
    context.addServlet(new ServletHolder(new TenantFilterTest.EchoServlet()), "/api/*");
  }

  private QuotaEnforcer quotas(dev.tenantkit.metering.quota.spi.QuotaStore store) {
    return Quotas.builder()
        .catalog(catalog)
        .store(store)
        .failureMode(FailureMode.FAIL_CLOSED)
        .planOf(tenancy.tenants())
        .clock(clock)
        .build();
  }

  private String tenant() {
    TenantId acme = TenantId.of("acme");
    tenancy.tenants().create(NewTenant.of(acme, "Acme", "team"));
    return tenancy.apiKeys().issue(acme, ApiKeyRequest.fullAccess("test")).secret();
  }

  /** Hands every batch to the test. */
  private record CapturingMeter(BlockingQueue<List<UsageEvent>> batches) implements UsageMeter {
    @Override
    public RecordOutcome record(UsageEvent event) {
      return recordAll(List.of(event)).get(0);
    }

    @Override
    public List<RecordOutcome> recordAll(List<UsageEvent> events) {
      batches.add(events);
      return events.stream().map(e -> RecordOutcome.accepted()).toList();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
