package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.MeteredApp.ACME;
import static dev.tenantkit.adapters.servlet.MeteredApp.BETA;
import static dev.tenantkit.adapters.servlet.MeteredApp.BIG;
import static dev.tenantkit.adapters.servlet.TenantFilterTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.UnreliableQuotaStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.TenantId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QuotaFilterTest {
  private static final String POLICY = "\"requests_per_minute\";q=30;w=60";

  private MeteredApp app;

  @AfterEach
  void tearDown() {
    if (app != null) {
      app.close();
    }
  }

  private MeteredApp start(MeteredApp.Options options) throws Exception {
    app = new MeteredApp(options);
    return app;
  }

  private long used(TenantId tenant, String limit) {
    return app.quotas.admin().status(tenant).stream()
        .filter(s -> s.limitName().equals(limit))
        .mapToLong(QuotaStatus::used)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void answers429WithRetryAfterRateLimitFieldsAndAProblemOnceTheRateIsUsedUp() throws Exception {
    start(MeteredApp.Options.defaults());

    Harness.Response first = app.call(ACME, "/api/items/1");
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo(POLICY);
    assertThat(first.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=29;t=2");
    for (int i = 2; i <= 30; i++) {
      assertThat(app.call(ACME, "/api/items/1").status()).as("call %d", i).isEqualTo(200);
    }

    Harness.Response refused = app.call(ACME, "/api/items/1");
    assertProblem(refused, 429, "quota-exceeded");
    assertThat(refused.header("Retry-After")).isEqualTo("2");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo(POLICY);
    // t is the draft's effective window: no quota for 2 seconds, as Retry-After says; not the
    // minute until the bucket is full.
    assertThat(refused.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=2");
    JsonNode body = refused.json();
    assertThat(body.get("limit").asText()).isEqualTo("requests_per_minute");
    assertThat(body.get("limitValue").asLong()).isEqualTo(30);
    assertThat(body.get("remaining").asLong()).isEqualTo(0);
    assertThat(body.get("resetAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(body.get("detail").asText()).contains("requests_per_minute");
    // All or none: the refused call took no api_calls either.
    assertThat(used(ACME, PlanCatalog.API_CALLS)).isEqualTo(30);

    app.clock.advance(Duration.ofMillis(500));
    Harness.Response later = app.call(ACME, "/api/items/1");
    assertThat(later.header("Retry-After")).as("1.5 s left, rounded up").isEqualTo("2");
    assertThat(later.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=2");
    app.clock.advance(Duration.ofMillis(1000));
    Harness.Response last = app.call(ACME, "/api/items/1");
    assertThat(last.header("Retry-After")).as("0.5 s left, rounded up").isEqualTo("1");
    assertThat(last.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=1");
    app.clock.advance(Duration.ofMillis(500));
    Harness.Response again = app.call(ACME, "/api/items/1");
    assertThat(again.status()).isEqualTo(200);
    // The token just taken was the only one: the next comes 2 seconds later.
    assertThat(again.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=2");
  }

  @Test
  void aGauge429TheApplicationWritesNamesTheGaugeBesideTheRequestRate() throws Exception {
    start(MeteredApp.Options.defaults());
    app.quotas.admin().setOverride(ACME, PlanCatalog.FILES, 1L);
    assertThat(app.call(ACME, "/api/uploads").status()).isEqualTo(201);

    Harness.Response refused = app.call(ACME, "/api/uploads");

    assertThat(refused.status()).isEqualTo(429);
    assertThat(String.join(", ", refused.headers().allValues("RateLimit-Policy")))
        .isEqualTo(POLICY + ", \"files\";q=1");
    // A gauge gives nothing back with time: no t, and no Retry-After.
    assertThat(String.join(", ", refused.headers().allValues("RateLimit")))
        .isEqualTo("\"requests_per_minute\";r=28;t=2, \"files\";r=0");
    assertThat(refused.header("Retry-After")).isNull();
  }

  @Test
  void theFieldsComeFromTheOneBatchOfTheRequestWithoutAskingTheStoreAgain() throws Exception {
    CountingQuotaStore store = new CountingQuotaStore(InMemoryQuotaStore.create());
    start(MeteredApp.Options.defaults().withStore(store, FailureMode.FAIL_CLOSED));
    app.quotas.admin().setOverride(ACME, PlanCatalog.API_CALLS, 1L);

    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    // Refused by the allowance: the request rate's item is still written, from the same batch.
    Harness.Response refused = app.call(ACME, "/api/items/1");
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("RateLimit")).startsWith("\"requests_per_minute\";r=");

    assertThat(store.batches.get()).isEqualTo(2);
    assertThat(store.reads.get()).isZero();
  }

  /** A store that counts the batches it applies and the reads of its cells' state. */
  private static final class CountingQuotaStore implements QuotaStore {
    final AtomicInteger batches = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();
    private final QuotaStore store;

    CountingQuotaStore(QuotaStore store) {
      this.store = store;
    }

    @Override
    public QuotaCell cell(TenantId tenant, String limit) {
      QuotaCell cell = store.cell(tenant, limit);
      return new QuotaCell() {
        @Override
        public long override() {
          return cell.override();
        }

        @Override
        public long tryAdd(long periodStart, long amount, long ceiling, long expectedOverride) {
          return cell.tryAdd(periodStart, amount, ceiling, expectedOverride);
        }

        @Override
        public long subtract(long periodStart, long amount) {
          return cell.subtract(periodStart, amount);
        }

        @Override
        public long counter(long periodStart) {
          reads.incrementAndGet();
          return cell.counter(periodStart);
        }

        @Override
        public long tryTake(long nowNanos, long cost, long burst, long expectedOverride) {
          return cell.tryTake(nowNanos, cost, burst, expectedOverride);
        }

        @Override
        public long bucket() {
          reads.incrementAndGet();
          return cell.bucket();
        }
      };
    }

    @Override
    public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
      batches.incrementAndGet();
      return store.tryApplyAll(tenant, operations);
    }

    @Override
    public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
      return store.markThreshold(tenant, limit, periodStart, percent);
    }

    @Override
    public Map<String, Long> overrides(TenantId tenant) {
      return store.overrides(tenant);
    }

    @Override
    public void putOverride(TenantId tenant, String limit, long amount) {
      store.putOverride(tenant, limit, amount);
    }

    @Override
    public void removeOverride(TenantId tenant, String limit) {
      store.removeOverride(tenant, limit);
    }

    @Override
    public void purge(TenantId tenant) {
      store.purge(tenant);
    }
  }

  @Test
  void addRefusalFieldsTakesOnlyARefusal() {
    QuotaDecision allowed =
        Quotas.builder().planOf(t -> "free").build().tryConsume(ACME, PlanCatalog.FILES, 1);
    assertThatThrownBy(() -> QuotaFilter.addRefusalFields(null, allowed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a refusal");
  }

  @Test
  void refusalsAreMeteredAsErrors() throws Exception {
    start(MeteredApp.Options.defaults());
    app.quotas.admin().setOverride(ACME, PlanCatalog.REQUESTS_PER_MINUTE, 1L);

    app.call(ACME, "/api/items/1");
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);

    Map<String, List<UsageEvent>> events = app.events(ACME, 2);
    assertThat(events.get("api_calls"))
        .extracting(e -> e.dimensions().get("status"))
        .containsExactly("200", "429");
    assertThat(events.get("errors"))
        .extracting(UsageEvent::dimensions)
        .containsExactly(
            Map.of("endpoint", "/api/items/*", "status", "429", "error_type", "quota-exceeded"));
  }

  @Test
  void aRefusalByTheMonthlyAllowanceTakesNoRateTokenAndSaysWhenTheMonthEnds() throws Exception {
    start(MeteredApp.Options.defaults());
    app.quotas.admin().setOverride(ACME, PlanCatalog.API_CALLS, 3L);

    for (int i = 0; i < 3; i++) {
      assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    }
    Harness.Response refused = app.call(ACME, "/api/items/1");

    assertProblem(refused, 429, "quota-exceeded");
    assertThat(refused.json().get("limit").asText()).isEqualTo("api_calls");
    assertThat(refused.json().get("limitValue").asLong()).isEqualTo(3);
    assertThat(refused.json().get("resetAt").asText()).isEqualTo("2026-02-01T00:00:00Z");
    long january = Duration.ofDays(31).toSeconds();
    assertThat(refused.header("Retry-After")).isEqualTo(Long.toString(january));
    assertThat(refused.header("RateLimit-Policy")).isEqualTo(POLICY + ", \"api_calls\";q=3");
    assertThat(refused.header("RateLimit"))
        .isEqualTo("\"requests_per_minute\";r=27;t=2, \"api_calls\";r=0;t=" + january);
    assertThat(used(ACME, PlanCatalog.REQUESTS_PER_MINUTE)).isEqualTo(3);
    assertThat(used(ACME, PlanCatalog.API_CALLS)).isEqualTo(3);
  }

  @Test
  void passingASoftLimitIsAllowedWithAWarningHeader() throws Exception {
    Plan free =
        Plan.builder("free")
            .limit("api_calls", LimitSpec.allowance(2, ResetPeriod.MONTH).asSoft())
            .limit("requests_per_minute", LimitSpec.rate(30, Duration.ofMinutes(1)))
            .build();
    Plan enterprise =
        Plan.builder("enterprise")
            .limit("api_calls", LimitSpec.allowance(LimitSpec.UNLIMITED, ResetPeriod.MONTH))
            .limit(
                "requests_per_minute", LimitSpec.rate(LimitSpec.UNLIMITED, Duration.ofMinutes(1)))
            .build();
    start(
        MeteredApp.Options.defaults()
            .withCatalog(PlanCatalog.builder().plan(free).plan(enterprise).build()));

    assertThat(app.call(ACME, "/api/items/1").header(QuotaFilter.WARNING_HEADER)).isNull();
    assertThat(app.call(ACME, "/api/items/1").header(QuotaFilter.WARNING_HEADER)).isNull();
    Harness.Response over = app.call(ACME, "/api/items/1");

    assertThat(over.status()).isEqualTo(200);
    assertThat(over.header(QuotaFilter.WARNING_HEADER)).isEqualTo("api_calls");
    assertThat(over.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=27;t=2");
    assertThat(used(ACME, PlanCatalog.API_CALLS)).isEqualTo(3);
  }

  @Test
  void anUnreachableStoreFailingClosedIs503WithRetryAfter() throws Exception {
    UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());
    start(MeteredApp.Options.defaults().withStore(store, FailureMode.FAIL_CLOSED));

    store.down(true);
    Harness.Response refused = app.call(ACME, "/api/items/1");
    assertProblem(refused, 503, "quota-store-unavailable");
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(refused.header("RateLimit")).isNull();

    store.down(false);
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    assertThat(app.events(ACME, 2).get("errors"))
        .extracting(e -> e.dimensions().get("error_type"))
        .containsExactly("quota-store-unavailable");
  }

  @Test
  void anUnreachableStoreFailingOpenLetsRequestsThroughWithoutFields() throws Exception {
    UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());
    start(MeteredApp.Options.defaults().withStore(store, FailureMode.FAIL_OPEN));

    store.down(true);
    Harness.Response allowed = app.call(ACME, "/api/items/1");

    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("RateLimit")).isNull();
    assertThat(allowed.header("Retry-After")).isNull();
  }

  @Test
  void oneTenantUsingUpItsRateNeverLimitsAnother() throws Exception {
    start(MeteredApp.Options.defaults());
    app.quotas.admin().setOverride(ACME, PlanCatalog.REQUESTS_PER_MINUTE, 1L);
    app.call(ACME, "/api/items/1");
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);

    Harness.Response beta = app.call(BETA, "/api/items/1");

    assertThat(beta.status()).isEqualTo(200);
    assertThat(beta.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=29;t=2");
    assertThat(used(BETA, PlanCatalog.API_CALLS)).isEqualTo(1);
  }

  @Test
  void unlimitedLimitsAreNotListed() throws Exception {
    start(MeteredApp.Options.defaults());

    Harness.Response big = app.call(BIG, "/api/items/1");

    assertThat(big.status()).isEqualTo(200);
    assertThat(big.header("RateLimit-Policy")).isNull();
    assertThat(big.header("RateLimit")).isNull();
  }

  @Test
  void aTenantOnAPlanTheCatalogLacksIsAConfigurationErrorProblem() throws Exception {
    start(MeteredApp.Options.defaults());
    TenantId gold = TenantId.of("gold");
    app.tenancy.tenants().create(NewTenant.of(gold, "Gold", "gold"));
    String key = app.tenancy.apiKeys().issue(gold, ApiKeyRequest.fullAccess("t")).secret();

    assertProblem(
        app.http.get("/api/items/1", "Authorization", "Bearer " + key), 500, "quota-unknown-plan");
  }

  @Test
  void theBuilderRefusesUnknownLimitsGaugesAndNonPositiveAmounts() {
    QuotaEnforcer quotas = Quotas.builder().planOf(id -> "free").build();

    assertThatThrownBy(() -> QuotaFilter.builder(quotas).consume("nope", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> QuotaFilter.builder(quotas).consume(PlanCatalog.FILES, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("gauge");
    assertThatThrownBy(() -> QuotaFilter.builder(quotas).consume(PlanCatalog.API_CALLS, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuotaFilter.builder(quotas).unavailableRetryAfter(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
