package dev.tenantkit.metering.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsagePoint;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Analytics over a fixed story of traffic, with exact expected numbers. The story, all times UTC:
 *
 * <ul>
 *   <li>2026-01-01 10:00 (before the 30-day period, in the one before it): acme makes 10 calls to
 *       GET /api/files/{id}, one of them a 500; globex gets three 429s;
 *   <li>2026-01-10 09:30: acme makes 20 calls: POST /api/files 2 x 201 and 6 x 429, GET
 *       /api/files/{id} 8 x 200 and 2 x 404, GET /api/usage/stats 1 x 200 and 1 x 401; uploads two
 *       pdfs (1000 and 500 bytes); globex gets four 429s on POST /api/files;
 *   <li>2026-01-31 11:00: acme makes 5 calls to GET /api/files/{id} (latencies 10 to 50 ms), the
 *       last a 500, and deletes the 500-byte file;
 *   <li>now is 2026-01-31 12:00; acme's files limit is overridden to 2, both in use.
 * </ul>
 */
class UsageAnalyticsTest {
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");
  static final Instant END = Instant.parse("2026-01-31T12:00:00.000001Z");

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T10:00:00Z"));
  private Metering metering;
  private QuotaEnforcer quotas;
  private UsageAnalytics analytics;

  @BeforeEach
  void setUp() {
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .clock(clock)
            // BLOCK: one recordAll below queues 30,000 events, more than the buffer holds; with
            // REJECT the test would depend on the flusher keeping pace with the caller.
            .buffer(20_000, Duration.ofHours(1), Backpressure.BLOCK)
            .build();
    quotas =
        Quotas.builder().clock(clock).planOf(t -> t.equals(GLOBEX) ? "enterprise" : "free").build();
    analytics = UsageAnalytics.builder(metering.queries(), quotas).clock(clock).build();
  }

  @AfterEach
  void tearDown() {
    metering.close();
  }

  @Test
  void errorStatsOfThePeriod() {
    story();
    ErrorStats stats = analytics.errorStats(ACME, analytics.period("30d"));

    assertThat(stats.range()).isEqualTo(new TimeRange(END.minus(Duration.ofDays(30)), END));
    assertThat(stats.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(stats.errors()).isEqualTo(10);
    assertThat(stats.apiCalls()).isEqualTo(25);
    assertThat(stats.errorRate()).isEqualTo(new BigDecimal("0.4000"));
    assertThat(stats.byStatus())
        .containsExactly(
            slice("429", 6, "0.6000"),
            slice("404", 2, "0.2000"),
            slice("401", 1, "0.1000"),
            slice("500", 1, "0.1000"));
    assertThat(stats.byType())
        .containsExactly(
            slice("rate_limited", 6, "0.6000"),
            slice("not_found", 2, "0.2000"),
            slice("server_error", 1, "0.1000"),
            slice("unauthorized", 1, "0.1000"));
    assertThat(stats.byEndpoint())
        .containsExactly(
            slice("/api/files", 6, "0.6000"),
            slice("/api/files/{id}", 3, "0.3000"),
            slice("/api/usage/stats", 1, "0.1000"));
    List<Long> hours = new ArrayList<>(Collections.nCopies(24, 0L));
    hours.set(9, 9L);
    hours.set(11, 1L);
    assertThat(stats.byHourOfDay()).isEqualTo(hours);
  }

  @Test
  void hoursOfDayFollowTheZone() {
    story();
    UsageAnalytics kolkata =
        UsageAnalytics.builder(metering.queries(), quotas)
            .clock(clock)
            .zone(ZoneId.of("Asia/Kolkata"))
            .build();
    ErrorStats stats = kolkata.errorStats(ACME, kolkata.period("30d"));
    List<Long> hours = new ArrayList<>(Collections.nCopies(24, 0L));
    hours.set(15, 9L); // 09:30 UTC is 15:00 at +05:30
    hours.set(16, 1L); // 11:00 UTC is 16:30
    assertThat(stats.byHourOfDay()).isEqualTo(hours);

    // Today in Kolkata began at 2026-01-30T18:30Z and holds the five calls of 11:00 UTC.
    KpiWindow today = kolkata.kpis(ACME, kolkata.period("7d")).today();
    assertThat(today.range().from()).isEqualTo(Instant.parse("2026-01-30T18:30:00Z"));
    assertThat(today.apiCalls()).isEqualTo(5);
  }

  @Test
  void errorAnalysisFindsPatternsTrendAndAdvice() {
    story();
    ErrorAnalysis analysis = analytics.errorAnalysis(ACME, analytics.period("30d"));

    assertThat(analysis.errors()).isEqualTo(10);
    assertThat(analysis.examinedErrors()).isEqualTo(10);
    assertThat(analysis.patterns())
        .containsExactly(
            new ErrorPattern("429", "/api/files", 6, new BigDecimal("0.6000")),
            new ErrorPattern("404", "/api/files/{id}", 2, new BigDecimal("0.2000")),
            new ErrorPattern("401", "/api/usage/stats", 1, new BigDecimal("0.1000")),
            new ErrorPattern("500", "/api/files/{id}", 1, new BigDecimal("0.1000")));

    ErrorTrend trend = analysis.trend();
    assertThat(trend.previousRange())
        .isEqualTo(new TimeRange(END.minus(Duration.ofDays(60)), END.minus(Duration.ofDays(30))));
    assertThat(trend.previousRate()).isEqualTo(new BigDecimal("0.1000"));
    assertThat(trend.currentRate()).isEqualTo(new BigDecimal("0.4000"));
    assertThat(trend.delta()).isEqualTo(new BigDecimal("0.3000"));
    assertThat(trend.direction()).isEqualTo(ErrorTrend.Direction.UP);

    assertThat(analysis.recommendations())
        .extracting(Recommendation::code)
        .containsExactly(
            "rate-limited",
            "not-found",
            "authentication",
            "server-errors",
            "limit-reached",
            "high-error-rate",
            "rising-error-rate");
    assertThat(analysis.recommendations())
        .extracting(Recommendation::message)
        .containsExactly(
            "most errors are 429 on /api/files: consider a higher plan, or spread requests out"
                + " over time",
            "2 of 10 errors are 404 on /api/files/{id}: requests ask for ids or paths that do not"
                + " exist; check for deleted items and mistyped URLs",
            "1 of 10 errors are 401 on /api/usage/stats: check API keys: they are missing,"
                + " mistyped, revoked or expired",
            "1 of 10 errors are 5xx on /api/files/{id}: these are failures of the service, not of"
                + " the requests; check its logs and status",
            "files: the limit of 2 is in use; delete what is no longer needed or consider a"
                + " higher plan",
            "the error rate is 40.00% of calls, at or above 5.00%: look at the patterns above"
                + " first",
            "the error rate rose from 10.00% to 40.00% against the period before; look for a"
                + " recent change");
  }

  @Test
  void aFlatAndAFallingTrend() {
    // Previous 7 days: 10 calls, 1 error. Current: first 10 calls and 1 error (flat), then 10 more
    // calls without error (down to 5%).
    clock.advance(Duration.ofDays(1));
    calls(ACME, 9, "GET", "/api/x", 200, null, 1);
    calls(ACME, 1, "GET", "/api/x", 500, "server_error", 1);
    settle(Duration.ofDays(7));
    calls(ACME, 9, "GET", "/api/x", 200, null, 1);
    calls(ACME, 1, "GET", "/api/x", 500, "server_error", 1);
    settle(Duration.ofHours(1));

    ErrorTrend flat = analytics.errorAnalysis(ACME, analytics.period("7d")).trend();
    assertThat(flat.previousRate()).isEqualTo(new BigDecimal("0.1000"));
    assertThat(flat.currentRate()).isEqualTo(new BigDecimal("0.1000"));
    assertThat(flat.delta()).isEqualTo(new BigDecimal("0.0000"));
    assertThat(flat.direction()).isEqualTo(ErrorTrend.Direction.FLAT);

    calls(ACME, 10, "GET", "/api/x", 200, null, 1);
    settle(Duration.ofMinutes(1));
    ErrorAnalysis down = analytics.errorAnalysis(ACME, analytics.period("7d"));
    assertThat(down.trend().currentRate()).isEqualTo(new BigDecimal("0.0500"));
    assertThat(down.trend().delta()).isEqualTo(new BigDecimal("-0.0500"));
    assertThat(down.trend().direction()).isEqualTo(ErrorTrend.Direction.DOWN);
    assertThat(down.recommendations())
        .extracting(Recommendation::code)
        .containsExactly("server-errors", "high-error-rate");
    assertThat(down.recommendations().get(0).message())
        .startsWith("most errors are 5xx on /api/x: ");
  }

  @Test
  void noErrorsNoAdvice() {
    clock.advance(Duration.ofDays(1));
    calls(ACME, 3, "GET", "/api/x", 200, null, 1);
    settle(Duration.ofMinutes(1));
    ErrorAnalysis analysis = analytics.errorAnalysis(ACME, analytics.period("7d"));
    assertThat(analysis.errors()).isZero();
    assertThat(analysis.patterns()).isEmpty();
    assertThat(analysis.recommendations()).isEmpty();
    assertThat(analysis.trend().direction()).isEqualTo(ErrorTrend.Direction.FLAT);
    assertThat(analysis.trend().currentRate()).isEqualTo(new BigDecimal("0.0000"));
  }

  @Test
  void patternsAreDrawnFromTheNewestErrorsUpToTheCap() {
    clock.advance(Duration.ofDays(1));
    calls(ACME, 1, "GET", "/api/old", 500, "server_error", 1);
    clock.advance(Duration.ofMinutes(1));
    calls(ACME, UsageAnalytics.MAX_EXAMINED_ERRORS, "GET", "/api/new", 404, "not_found", 1);
    settle(Duration.ofMinutes(1));

    ErrorAnalysis analysis = analytics.errorAnalysis(ACME, analytics.period("7d"));
    assertThat(analysis.errors()).isEqualTo(UsageAnalytics.MAX_EXAMINED_ERRORS + 1);
    assertThat(analysis.examinedErrors()).isEqualTo(UsageAnalytics.MAX_EXAMINED_ERRORS);
    assertThat(analysis.patterns())
        .containsExactly(
            new ErrorPattern(
                "404", "/api/new", UsageAnalytics.MAX_EXAMINED_ERRORS, new BigDecimal("1.0000")));
    // The counts per status stay exact: the 500 is still advised on, without an endpoint.
    assertThat(analysis.recommendations())
        .extracting(Recommendation::message)
        .contains(
            "1 of 10001 errors are 5xx: these are failures of the service, not of the requests;"
                + " check its logs and status");
  }

  @Test
  void usageStatsOfThirtyDaysAreDaily() {
    story();
    UsageStats stats = analytics.usageStats(ACME, analytics.period("30d"));
    assertThat(stats.granularity()).isEqualTo(Granularity.DAY);
    assertThat(stats.meters())
        .extracting(MeterStats::meter)
        .containsExactly(
            "api_calls",
            "embeddings",
            "errors",
            "files_processed",
            "files_uploaded",
            "request_latency",
            "storage_bytes",
            "tokens");
    MeterStats calls = meter(stats, "api_calls");
    assertThat(calls.unit()).isEqualTo("calls");
    assertThat(calls.total()).isEqualTo(new BigDecimal("25"));
    assertThat(calls.series()).hasSize(31);
    assertThat(calls.series().get(0))
        .isEqualTo(new UsagePoint(Instant.parse("2026-01-01T00:00:00Z"), BigDecimal.ZERO));
    assertThat(nonZero(calls.series()))
        .isEqualTo(
            Map.of(
                Instant.parse("2026-01-10T00:00:00Z"), new BigDecimal("20"),
                Instant.parse("2026-01-31T00:00:00Z"), new BigDecimal("5")));
    assertThat(meter(stats, "storage_bytes").total()).isEqualTo(new BigDecimal("1000"));
    assertThat(meter(stats, "files_uploaded").total()).isEqualTo(new BigDecimal("2"));
    assertThat(meter(stats, "request_latency").total()).isEqualTo(new BigDecimal("100"));
    assertThat(meter(stats, "tokens").total()).isEqualTo(BigDecimal.ZERO);
  }

  @Test
  void usageStatsOfSevenDaysAreHourly() {
    story();
    UsageStats stats = analytics.usageStats(ACME, analytics.period("7d"));
    assertThat(stats.granularity()).isEqualTo(Granularity.HOUR);
    MeterStats calls = meter(stats, "api_calls");
    assertThat(calls.total()).isEqualTo(new BigDecimal("5"));
    assertThat(calls.series()).hasSize(7 * 24 + 1);
    assertThat(calls.series().get(0).start()).isEqualTo(Instant.parse("2026-01-24T12:00:00Z"));
    assertThat(nonZero(calls.series()))
        .isEqualTo(Map.of(Instant.parse("2026-01-31T11:00:00Z"), new BigDecimal("5")));
  }

  @Test
  void breakdownByEveryDeclaredDimension() {
    story();
    UsageBreakdown breakdown = analytics.breakdown(ACME, analytics.period("30d"));
    assertThat(breakdown.meters())
        .extracting(MeterBreakdown::meter)
        .containsExactly(
            "api_calls",
            "embeddings",
            "errors",
            "files_processed",
            "files_uploaded",
            "request_latency",
            "tokens");
    MeterBreakdown calls = breakdown.meters().get(0);
    assertThat(calls.total()).isEqualTo(new BigDecimal("25"));
    assertThat(calls.dimensions().keySet())
        .containsExactly("endpoint", "error_type", "method", "status");
    assertThat(calls.dimensions().get("endpoint"))
        .containsExactly(
            slice("/api/files/{id}", 15, "0.6000"),
            slice("/api/files", 8, "0.3200"),
            slice("/api/usage/stats", 2, "0.0800"));
    assertThat(calls.dimensions().get("method"))
        .containsExactly(slice("GET", 17, "0.6800"), slice("POST", 8, "0.3200"));
    assertThat(calls.dimensions().get("error_type"))
        .containsExactly(
            slice("", 15, "0.6000"),
            slice("rate_limited", 6, "0.2400"),
            slice("not_found", 2, "0.0800"),
            slice("server_error", 1, "0.0400"),
            slice("unauthorized", 1, "0.0400"));
    assertThat(calls.dimensions().get("status"))
        .containsExactly(
            slice("200", 13, "0.5200"),
            slice("429", 6, "0.2400"),
            slice("201", 2, "0.0800"),
            slice("404", 2, "0.0800"),
            slice("401", 1, "0.0400"),
            slice("500", 1, "0.0400"));

    MeterBreakdown latency = breakdown.meters().get(5);
    assertThat(latency.dimensions().get("endpoint"))
        .containsExactly(
            new Slice("/api/files", new BigDecimal("100"), null),
            new Slice("/api/files/{id}", new BigDecimal("50"), null),
            new Slice("/api/usage/stats", new BigDecimal("20"), null));
    assertThat(breakdown.meters().get(4).dimensions().get("type"))
        .containsExactly(slice("pdf", 2, "1.0000"));
    assertThat(breakdown.meters().get(6).total()).isEqualTo(BigDecimal.ZERO);
    assertThat(breakdown.meters().get(6).dimensions().get("model")).isEmpty();
  }

  @Test
  void kpisOfTodayAndThePeriod() {
    story();
    Kpis kpis = analytics.kpis(ACME, analytics.period("30d"));
    assertThat(kpis.asOf()).isEqualTo(NOW);

    KpiWindow today = kpis.today();
    assertThat(today.range()).isEqualTo(new TimeRange(Instant.parse("2026-01-31T00:00:00Z"), END));
    assertThat(today.apiCalls()).isEqualTo(5);
    assertThat(today.errors()).isEqualTo(1);
    assertThat(today.errorRate()).isEqualTo(new BigDecimal("0.2000"));
    // Latencies 10, 20, 30, 40, 50: the sketch's p95 (rank 0.95 * 4 = 3.8) is the 4th smallest.
    assertThat(today.p95LatencyMs().doubleValue()).isCloseTo(40, within(0.4));
    assertThat(values(today))
        .containsEntry("api_calls", new BigDecimal("5"))
        .containsEntry("storage_bytes", new BigDecimal("-500"))
        .containsEntry("files_uploaded", BigDecimal.ZERO)
        .hasSize(8);

    KpiWindow period = kpis.period();
    assertThat(period.apiCalls()).isEqualTo(25);
    assertThat(period.errors()).isEqualTo(10);
    assertThat(period.errorRate()).isEqualTo(new BigDecimal("0.4000"));
    // 25 latencies; the 95th percentile (rank 22.8 of 0..24) is the 23rd smallest, 50 ms.
    assertThat(period.p95LatencyMs().doubleValue()).isCloseTo(50, within(0.5));
    assertThat(values(period)).containsEntry("storage_bytes", new BigDecimal("1000"));
  }

  @Test
  void currentUsageIsThisMonthAndEveryLimit() {
    story();
    CurrentUsage current = analytics.current(ACME);
    assertThat(current.asOf()).isEqualTo(NOW);
    assertThat(current.month())
        .isEqualTo(new TimeRange(Instant.parse("2026-01-01T00:00:00Z"), END));
    Map<String, BigDecimal> meters =
        current.meters().stream().collect(Collectors.toMap(MeterValue::meter, MeterValue::value));
    assertThat(meters)
        .containsEntry("api_calls", new BigDecimal("35"))
        .containsEntry("errors", new BigDecimal("11"))
        .containsEntry("storage_bytes", new BigDecimal("1000"));

    assertThat(current.limits())
        .extracting(LimitUsage::name)
        .containsExactly("files", "storage_bytes", "api_calls", "tokens", "requests_per_minute");
    LimitUsage files = current.limits().get(0);
    assertThat(files)
        .isEqualTo(
            new LimitUsage(
                "files",
                LimitKind.GAUGE,
                2,
                2L,
                0L,
                100,
                null,
                true,
                true,
                List.of(80, 90, 100),
                "files: 2 of 2 used, the limit is reached; further use is denied"));
    LimitUsage apiCalls = current.limits().get(2);
    assertThat(apiCalls.used()).isZero();
    assertThat(apiCalls.limit()).isEqualTo(1000L);
    assertThat(apiCalls.remaining()).isEqualTo(1000L);
    assertThat(apiCalls.resetAt()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(apiCalls.warning()).isNull();
    assertThat(analytics.quotas(ACME)).isEqualTo(current.limits());
  }

  @Test
  void aWarningThresholdBelowTheLimit() {
    quotas.tryConsume(ACME, "api_calls", 850);
    LimitUsage apiCalls = analytics.quotas(ACME).get(2);
    assertThat(apiCalls.percentUsed()).isEqualTo(85);
    assertThat(apiCalls.thresholdsCrossed()).containsExactly(80);
    assertThat(apiCalls.warning())
        .isEqualTo("api_calls: 850 of 1000 used, past the 80% warning threshold");
  }

  @Test
  void unlimitedLimitsHaveNoAmounts() {
    quotas.tryConsume(GLOBEX, "files", 5);
    LimitUsage files = analytics.quotas(GLOBEX).get(0);
    assertThat(files.unlimited()).isTrue();
    assertThat(files.used()).isEqualTo(5);
    assertThat(files.limit()).isNull();
    assertThat(files.remaining()).isNull();
    assertThat(files.percentUsed()).isZero();
    assertThat(files.warning()).isNull();
  }

  @Test
  void eachTenantSeesOnlyItsOwnUsage() {
    story();
    TimeRange month = analytics.period("30d");
    ErrorStats globex = analytics.errorStats(GLOBEX, month);
    assertThat(globex.errors()).isEqualTo(4);
    assertThat(globex.apiCalls()).isEqualTo(4);
    assertThat(globex.byEndpoint()).containsExactly(slice("/api/files", 4, "1.0000"));
    ErrorAnalysis analysis = analytics.errorAnalysis(GLOBEX, month);
    assertThat(analysis.patterns())
        .containsExactly(new ErrorPattern("429", "/api/files", 4, new BigDecimal("1.0000")));
    // globex's three 429s of Jan 1 are in its own previous period only.
    assertThat(analysis.trend().previousRate()).isEqualTo(new BigDecimal("1.0000"));
    assertThat(analysis.recommendations())
        .extracting(Recommendation::code)
        .doesNotContain("limit-reached", "not-found", "authentication");
    assertThat(values(analytics.kpis(GLOBEX, month).period()))
        .containsEntry("files_uploaded", BigDecimal.ZERO)
        .containsEntry("storage_bytes", BigDecimal.ZERO);
    assertThat(analytics.quotas(GLOBEX).get(0).used()).isZero();

    TenantId nobody = TenantId.of("nobody");
    assertThat(analytics.errorStats(nobody, month).errors()).isZero();
    assertThat(analytics.usageStats(nobody, month).meters())
        .allSatisfy(m -> assertThat(m.total()).isEqualTo(BigDecimal.ZERO));
  }

  @Test
  void errorRateRules() {
    assertThat(UsageAnalytics.errorRate(0, 0)).isEqualTo(new BigDecimal("0.0000"));
    assertThat(UsageAnalytics.errorRate(0, 7)).isEqualTo(new BigDecimal("0.0000"));
    assertThat(UsageAnalytics.errorRate(1, 3)).isEqualTo(new BigDecimal("0.3333"));
    assertThat(UsageAnalytics.errorRate(2, 3)).isEqualTo(new BigDecimal("0.6667"));
    assertThat(UsageAnalytics.errorRate(3, 3)).isEqualTo(new BigDecimal("1.0000"));
    assertThat(UsageAnalytics.errorRate(5, 3)).isEqualTo(new BigDecimal("1.0000"));
    assertThat(UsageAnalytics.errorRate(5, 0)).isEqualTo(new BigDecimal("1.0000"));
  }

  @Test
  void badArgumentsAreInvalidInput() {
    TimeRange ok = analytics.period("7d");
    TimeRange tooLong = new TimeRange(NOW.minus(Duration.ofDays(401)), NOW);
    assertField(() -> analytics.errorStats(null, ok), "tenant");
    assertField(() -> analytics.current(null), "tenant");
    assertField(() -> analytics.quotas(null), "tenant");
    assertField(() -> analytics.usageStats(ACME, null), "period");
    assertField(() -> analytics.breakdown(ACME, tooLong), "period");
    assertField(() -> analytics.errorAnalysis(ACME, tooLong), "period");
    assertField(() -> analytics.kpis(ACME, tooLong), "period");
    assertField(() -> analytics.period("week"), "period");
    assertThat(analytics.errorStats(ACME, new TimeRange(NOW.minus(Duration.ofDays(400)), NOW)))
        .isNotNull();
  }

  @Test
  void theCatalogMustHoldTheBuiltInRequestMeters() {
    MeterCatalog withoutErrors =
        MeterCatalog.builder().add(Meters.API_CALLS).add(Meters.REQUEST_LATENCY).build();
    assertField(
        () -> UsageAnalytics.builder(metering.queries(), quotas).catalog(withoutErrors).build(),
        "catalog");
  }

  // --- the story and helpers ---

  private void story() {
    calls(ACME, 9, "GET", "/api/files/{id}", 200, null, 5);
    calls(ACME, 1, "GET", "/api/files/{id}", 500, "server_error", 5);
    calls(GLOBEX, 3, "POST", "/api/files", 429, "rate_limited", 1);
    settle(Duration.parse("PT215H30M")); // to 2026-01-10T09:30Z

    calls(ACME, 2, "POST", "/api/files", 201, null, 100);
    calls(ACME, 6, "POST", "/api/files", 429, "rate_limited", 2);
    calls(ACME, 8, "GET", "/api/files/{id}", 200, null, 10);
    calls(ACME, 2, "GET", "/api/files/{id}", 404, "not_found", 3);
    calls(ACME, 1, "GET", "/api/usage/stats", 200, null, 20);
    calls(ACME, 1, "GET", "/api/usage/stats", 401, "unauthorized", 1);
    record(UsageEvent.builder(ACME, "files_uploaded").dimension("type", "pdf").build());
    record(UsageEvent.builder(ACME, "files_uploaded").dimension("type", "pdf").build());
    record(UsageEvent.builder(ACME, "storage_bytes").quantity(1000).build());
    record(UsageEvent.builder(ACME, "storage_bytes").quantity(500).build());
    calls(GLOBEX, 4, "POST", "/api/files", 429, "rate_limited", 1);
    settle(Duration.parse("PT505H30M")); // to 2026-01-31T11:00Z

    calls(ACME, 1, "GET", "/api/files/{id}", 200, null, 10);
    calls(ACME, 1, "GET", "/api/files/{id}", 200, null, 20);
    calls(ACME, 1, "GET", "/api/files/{id}", 200, null, 30);
    calls(ACME, 1, "GET", "/api/files/{id}", 200, null, 40);
    calls(ACME, 1, "GET", "/api/files/{id}", 500, "server_error", 50);
    record(UsageEvent.builder(ACME, "storage_bytes").quantity(-500).build());
    settle(Duration.ofHours(1));
    assertThat(clock.instant()).isEqualTo(NOW);

    quotas.admin().setOverride(ACME, "files", 2L);
    assertThat(quotas.tryConsume(ACME, "files", 2).allowed()).isTrue();
  }

  /** Records {@code n} calls as the metering filter would: a call, its latency, and an error. */
  private void calls(
      TenantId tenant,
      int n,
      String method,
      String endpoint,
      int status,
      String errorType,
      long latencyMs) {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      UsageEvent.Builder call =
          UsageEvent.builder(tenant, "api_calls")
              .dimension("endpoint", endpoint)
              .dimension("method", method)
              .dimension("status", Integer.toString(status));
      if (errorType != null) {
        call.dimension("error_type", errorType);
      }
      events.add(call.build());
      events.add(
          UsageEvent.builder(tenant, "request_latency")
              .quantity(latencyMs)
              .dimension("endpoint", endpoint)
              .build());
      if (status >= 400) {
        events.add(
            UsageEvent.builder(tenant, "errors")
                .dimension("endpoint", endpoint)
                .dimension("status", Integer.toString(status))
                .dimension("error_type", errorType)
                .build());
      }
    }
    assertThat(metering.usageMeter().recordAll(events)).allMatch(RecordOutcome::counted);
  }

  private void record(UsageEvent event) {
    assertThat(metering.usageMeter().record(event).counted()).isTrue();
  }

  /** Writes the buffered events, then lets time pass (buffered events must not grow too late). */
  private void settle(Duration d) {
    metering.usageMeter().flush();
    clock.advance(d);
  }

  private static Slice slice(String key, long value, String share) {
    return new Slice(key, BigDecimal.valueOf(value), new BigDecimal(share));
  }

  private static MeterStats meter(UsageStats stats, String name) {
    return stats.meters().stream().filter(m -> m.meter().equals(name)).findFirst().orElseThrow();
  }

  private static Map<Instant, BigDecimal> nonZero(List<UsagePoint> series) {
    return series.stream()
        .filter(p -> p.value().signum() != 0)
        .collect(Collectors.toMap(UsagePoint::start, UsagePoint::value));
  }

  private static Map<String, BigDecimal> values(KpiWindow window) {
    return window.meters().stream().collect(Collectors.toMap(MeterValue::meter, MeterValue::value));
  }

  private static void assertField(Runnable call, String field) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
