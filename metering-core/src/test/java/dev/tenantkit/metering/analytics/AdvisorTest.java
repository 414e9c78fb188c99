package dev.tenantkit.metering.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.analytics.UsageAnalytics.Pair;
import dev.tenantkit.metering.quota.LimitKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recommendation rules one by one, on hand-made figures. */
class AdvisorTest {
  private static final ErrorTrend FLAT_AND_LOW =
      new ErrorTrend(
          new TimeRange(
              Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-08T00:00:00Z")),
          new BigDecimal("0.0100"),
          new BigDecimal("0.0100"),
          new BigDecimal("0.0000"),
          ErrorTrend.Direction.FLAT);

  @Test
  void everyStatusRuleWithItsEndpoint() {
    Map<String, BigDecimal> byStatus = new LinkedHashMap<>();
    byStatus.put("403", BigDecimal.valueOf(5));
    byStatus.put("400", BigDecimal.valueOf(4));
    byStatus.put("413", BigDecimal.valueOf(3));
    byStatus.put("415", BigDecimal.valueOf(2));
    byStatus.put("503", BigDecimal.valueOf(1));
    byStatus.put("500", BigDecimal.valueOf(1));
    byStatus.put("418", BigDecimal.valueOf(7));
    byStatus.put("teapot", BigDecimal.valueOf(9));
    Map<Pair, Long> pairs = new LinkedHashMap<>();
    pairs.put(new Pair("403", "/api/usage/stats"), 5L);
    pairs.put(new Pair("400", "/api/files"), 4L);
    pairs.put(new Pair("413", "/api/files"), 3L);
    pairs.put(new Pair("415", "/api/files"), 2L);
    pairs.put(new Pair("503", "/api/b"), 1L);
    pairs.put(new Pair("500", "/api/a"), 1L);

    List<Recommendation> advice = Advisor.advise(32, byStatus, pairs, FLAT_AND_LOW, List.of());

    assertThat(advice)
        .containsExactly(
            new Recommendation(
                "authorization",
                "5 of 32 errors are 403 on /api/usage/stats: check the API keys' scopes and that"
                    + " the tenant is active"),
            new Recommendation(
                "bad-requests",
                "4 of 32 errors are 400 on /api/files: requests are malformed; each problem"
                    + " response names the field to fix"),
            new Recommendation(
                "payload-too-large",
                "3 of 32 errors are 413 on /api/files: uploads are over the size limit; split or"
                    + " compress files, or raise the tenant's maximum file size"),
            new Recommendation(
                "server-errors",
                // 500 and 503 together; /api/a and /api/b tie, the first by name is named.
                "2 of 32 errors are 5xx on /api/a: these are failures of the service, not of the"
                    + " requests; check its logs and status"),
            new Recommendation(
                "unsupported-media-type",
                "2 of 32 errors are 415 on /api/files: these file types are not allowed for the"
                    + " tenant; check its allowed file types"));
  }

  @Test
  void usedUpAllowancesAndGaugesAreAdvisedOnButNotRatesOrSoftLimits() {
    Instant reset = Instant.parse("2026-02-01T00:00:00Z");
    List<LimitUsage> limits =
        List.of(
            limit("files", LimitKind.GAUGE, 10, 10, null, true),
            limit("storage_bytes", LimitKind.GAUGE, 5, 10, null, true),
            limit("api_calls", LimitKind.ALLOWANCE, 1000, 1000, reset, true),
            limit("tokens", LimitKind.ALLOWANCE, 1200, 1000, reset, false),
            limit("requests_per_minute", LimitKind.RATE, 30, 30, reset, true));

    List<Recommendation> advice = Advisor.advise(0, Map.of(), Map.of(), FLAT_AND_LOW, limits);

    assertThat(advice)
        .containsExactly(
            new Recommendation(
                "limit-reached",
                "files: the limit of 10 is in use; delete what is no longer needed or consider a"
                    + " higher plan"),
            new Recommendation(
                "limit-reached",
                "api_calls: the limit of 1000 is used up until 2026-02-01T00:00:00Z; consider a"
                    + " higher plan"));
  }

  @Test
  void aKindHoldingExactlyHalfIsNotMost() {
    List<Recommendation> advice =
        Advisor.advise(
            4,
            Map.of("401", BigDecimal.valueOf(2), "429", BigDecimal.valueOf(2)),
            Map.of(new Pair("401", "/x"), 2L, new Pair("429", "/y"), 2L),
            FLAT_AND_LOW,
            List.of());
    assertThat(advice)
        .extracting(Recommendation::message)
        .containsExactly(
            "2 of 4 errors are 401 on /x: check API keys: they are missing, mistyped, revoked or"
                + " expired",
            "2 of 4 errors are 429 on /y: consider a higher plan, or spread requests out over"
                + " time");
  }

  private static LimitUsage limit(
      String name, LimitKind kind, long used, long limit, Instant reset, boolean hard) {
    long remaining = Math.max(0, limit - used);
    return new LimitUsage(
        name,
        kind,
        used,
        limit,
        remaining,
        (int) (used * 100 / limit),
        reset,
        hard,
        false,
        List.of(),
        null);
  }
}
