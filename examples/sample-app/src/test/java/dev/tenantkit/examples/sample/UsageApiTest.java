package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Usage, errors, quotas and analytics over HTTP, after real traffic through the files API. Every
 * request is metered by Tenantkit's metering filter into buffered meters; before reading usage a
 * test waits until the server has finished its requests ({@link ServerIdle}) and writes the buffer,
 * so the numbers are exact.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class, ServerIdle.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=usage-api-test-operator-key-0123456789")
class UsageApiTest {
  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Metering metering;
  @Autowired ServerIdle server;

  private Http http;
  private Callers callers;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @BeforeEach
  void setUp() {
    http = new Http(port);
    callers = new Callers(tenancy, quotas);
  }

  /**
   * Two uploads, three refused with 429 (files limit 2), a 404, a listing and a delete: eight
   * calls, four of them errors.
   */
  private Traffic traffic(Caller c) {
    quotas.admin().setOverride(c.tenant(), PlanCatalog.FILES, 2L);
    String a = upload(c, "a.pdf", 1_000).assertStatus(201).json().get("id").asText();
    upload(c, "b.pdf", 300).assertStatus(201);
    for (int i = 0; i < 3; i++) {
      upload(c, "c.pdf", 10).assertProblem(429, "quota-exceeded");
    }
    http.get("/api/files/" + "0".repeat(32), "Authorization", c.bearer())
        .assertProblem(404, "not-found");
    http.get("/api/files", "Authorization", c.bearer()).assertStatus(200);
    http.send("DELETE", "/api/files/" + a, null, "Authorization", c.bearer()).assertStatus(204);
    settle();
    return new Traffic(a);
  }

  private record Traffic(String deletedId) {}

  @Test
  void operatorMetricsCountEachTenantOnTheManagementPortOnly() {
    Caller c = callers.tenant("free");
    traffic(c);

    Http management = new Http(managementPort);
    String tenant = "tag=tenant:" + c.tenant().value();
    JsonNode denied =
        management
            .get("/actuator/metrics/tenantkit.quota.decisions?" + tenant + "&tag=limit:files")
            .assertStatus(200)
            .json();
    assertThat(count(denied)).isEqualTo(5);
    assertThat(
            count(
                management
                    .get(
                        "/actuator/metrics/tenantkit.quota.decisions?"
                            + tenant
                            + "&tag=limit:files&tag=outcome:denied")
                    .assertStatus(200)
                    .json()))
        .isEqualTo(3);
    assertThat(
            count(
                management
                    .get(
                        "/actuator/metrics/tenantkit.usage.events.recorded?"
                            + tenant
                            + "&tag=meter:api_calls")
                    .assertStatus(200)
                    .json()))
        .isEqualTo(8);
    http.get("/actuator/metrics").assertStatus(404);
  }

  private static double count(JsonNode metric) {
    return metric.get("measurements").get(0).get("value").asDouble();
  }

  @Test
  void errorStatsAfterRealTraffic() {
    Caller c = callers.tenant("free");
    traffic(c);

    JsonNode stats = read(c, "/api/errors/stats?period=7d");
    assertThat(stats.get("errors").asLong()).isEqualTo(4);
    assertThat(stats.get("apiCalls").asLong()).isEqualTo(8);
    assertThat(stats.get("errorRate").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(slices(stats.get("byStatus"))).containsExactly("429=3 (0.75)", "404=1 (0.25)");
    assertThat(slices(stats.get("byEndpoint")))
        .containsExactly("/api/files=3 (0.75)", "/api/files/{id}=1 (0.25)");
    assertThat(slices(stats.get("byType")))
        .containsExactly("quota-exceeded=3 (0.75)", "not-found=1 (0.25)");
    // The clock stands at 2026-01-01T00:00Z: every error fell in hour 0.
    assertThat(stats.get("byHourOfDay")).hasSize(24);
    assertThat(stats.get("byHourOfDay").get(0).asLong()).isEqualTo(4);
    assertThat(stats.get("range").get("to").asText()).isEqualTo("2026-01-01T00:00:00.000001Z");
  }

  @Test
  void errorAnalysisRecommendsAHigherPlanFor429s() {
    Caller c = callers.tenant("free");
    traffic(c);

    JsonNode analysis = read(c, "/api/errors/analysis?period=30d");
    assertThat(analysis.get("errors").asLong()).isEqualTo(4);
    assertThat(analysis.get("examinedErrors").asLong()).isEqualTo(4);
    JsonNode top = analysis.get("patterns").get(0);
    assertThat(top.get("status").asText()).isEqualTo("429");
    assertThat(top.get("endpoint").asText()).isEqualTo("/api/files");
    assertThat(top.get("count").asLong()).isEqualTo(3);
    assertThat(top.get("share").decimalValue()).isEqualByComparingTo("0.75");
    assertThat(analysis.get("patterns")).hasSize(2);

    JsonNode trend = analysis.get("trend");
    assertThat(trend.get("previousRate").decimalValue()).isEqualByComparingTo("0");
    assertThat(trend.get("currentRate").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(trend.get("direction").asText()).isEqualTo("up");

    List<String> advice = new ArrayList<>();
    analysis.get("recommendations").forEach(r -> advice.add(r.get("message").asText()));
    assertThat(advice.get(0))
        .startsWith("most errors are 429 on /api/files: consider a higher plan");
    assertThat(advice.get(1)).startsWith("1 of 4 errors are 404 on /api/files/{id}:");
    assertThat(analysis.get("recommendations"))
        .extracting(r -> r.get("code").asText())
        .containsExactly("rate-limited", "not-found", "high-error-rate", "rising-error-rate");
  }

  @Test
  void quotasCurrentUsageStatsBreakdownAndMetrics() {
    Caller c = callers.tenant("free");
    traffic(c);

    JsonNode limits = read(c, "/api/quotas").get("limits");
    assertThat(limits)
        .extracting(l -> l.get("name").asText())
        .containsExactly("files", "storage_bytes", "api_calls", "tokens", "requests_per_minute");
    JsonNode files = limits.get(0);
    assertThat(files.get("kind").asText()).isEqualTo("gauge");
    assertThat(files.get("used").asLong()).isEqualTo(1);
    assertThat(files.get("limit").asLong()).isEqualTo(2);
    assertThat(files.get("remaining").asLong()).isEqualTo(1);
    assertThat(files.get("percentUsed").asInt()).isEqualTo(50);
    assertThat(files.get("overridden").asBoolean()).isTrue();
    assertThat(files.get("thresholdsCrossed")).isEmpty();
    assertThat(files.get("warning").isNull()).isTrue();
    JsonNode storage = limits.get(1);
    assertThat(storage.get("used").asLong()).isEqualTo(300);
    assertThat(storage.get("limit").asLong()).isEqualTo(1L << 30);
    JsonNode apiCalls = limits.get(2);
    assertThat(apiCalls.get("limit").isNull()).isTrue(); // lifted for the tests
    assertThat(apiCalls.get("resetAt").isNull()).isTrue();
    JsonNode tokens = limits.get(3);
    assertThat(tokens.get("limit").asLong()).isEqualTo(10_000);
    assertThat(tokens.get("resetAt").asText()).isEqualTo("2026-01-02T00:00:00Z");

    JsonNode current = read(c, "/api/usage/current");
    assertThat(meter(current.get("meters"), "files_uploaded")).isEqualTo("2");
    assertThat(meter(current.get("meters"), "storage_bytes")).isEqualTo("300");
    assertThat(meter(current.get("meters"), "errors")).isEqualTo("4");
    assertThat(current.get("month").get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    // The same limits (api_calls has grown by this read, which the quota filter counted).
    assertThat(current.get("limits").get(0)).isEqualTo(files);
    assertThat(current.get("limits").get(1)).isEqualTo(storage);

    // Reads so far: /api/quotas and /api/usage/current, both 200.
    JsonNode stats = read(c, "/api/usage/stats?period=7d");
    assertThat(stats.get("granularity").asText()).isEqualTo("hour");
    JsonNode calls = stats.get("meters").get(0);
    assertThat(calls.get("meter").asText()).isEqualTo("api_calls");
    assertThat(calls.get("total").asLong()).isEqualTo(10);
    assertThat(calls.get("series")).hasSize(7 * 24 + 1);
    assertThat(calls.get("series").get(7 * 24).get("value").asLong()).isEqualTo(10);
    assertThat(meter(stats.get("meters"), "storage_bytes")).isEqualTo("300");

    JsonNode breakdown = read(c, "/api/usage/breakdown?period=30d");
    JsonNode uploaded =
        find(breakdown.get("meters"), "files_uploaded").get("dimensions").get("type");
    assertThat(slices(uploaded)).containsExactly("pdf=2 (1)");
    JsonNode byEndpoint =
        find(breakdown.get("meters"), "api_calls").get("dimensions").get("endpoint");
    assertThat(slices(byEndpoint))
        .containsExactly(
            "/api/files=6 (0.5455)",
            "/api/files/{id}=2 (0.1818)",
            "/api/quotas=1 (0.0909)",
            "/api/usage/current=1 (0.0909)",
            "/api/usage/stats=1 (0.0909)");

    // The eight calls of the traffic and four reads (quotas, current, stats, breakdown). Their
    // latencies are wall-clock times, so the test reads what was stored (in process, which is not
    // metered) and expects the p95 of exactly those: the metrics call's own latency is recorded
    // only after it answered.
    settle();
    List<BigDecimal> latencies = storedLatencies(c);
    assertThat(latencies).hasSize(12);
    // The value at rank floor(0.95 * (n - 1)), as DDSketch ranks, within its 1% relative error.
    BigDecimal p95 = latencies.get((int) Math.floor(0.95 * (latencies.size() - 1)));
    JsonNode metrics = read(c, "/api/analytics/metrics?period=30d");
    JsonNode today = metrics.get("today");
    assertThat(today.get("apiCalls").asLong()).isEqualTo(12);
    assertThat(today.get("errors").asLong()).isEqualTo(4);
    assertThat(today.get("errorRate").decimalValue()).isEqualByComparingTo("0.3333");
    BigDecimal error = p95.multiply(new BigDecimal("0.01"));
    assertThat(today.get("p95LatencyMs").decimalValue()).isCloseTo(p95, within(error));
    assertThat(metrics.get("period").get("apiCalls").asLong()).isEqualTo(12);
    assertThat(metrics.get("period").get("p95LatencyMs").decimalValue())
        .isCloseTo(p95, within(error));
    assertThat(metrics.get("asOf").asText()).isEqualTo("2026-01-01T00:00:00Z");
  }

  @Test
  void rawEventsWithFiltersAndACursorAndTheirCsvExport() {
    Caller c = callers.tenant("free");
    Traffic t = traffic(c);

    JsonNode page1 = read(c, "/api/analytics/events?meter=storage_bytes&limit=2");
    assertThat(page1.get("items"))
        .extracting(e -> e.get("quantity").asLong())
        .containsExactly(-1_000L, 300L);
    assertThat(page1.get("items").get(0).get("idempotencyKey").asText())
        .isEqualTo("file-deleted:" + t.deletedId());
    assertThat(page1.get("items").get(0).has("tenantId")).isFalse();
    String cursor = page1.get("nextCursor").asText();
    JsonNode page2 =
        read(c, "/api/analytics/events?meter=storage_bytes&limit=2&cursor=" + encode(cursor));
    assertThat(page2.get("items"))
        .extracting(e -> e.get("quantity").asLong())
        .containsExactly(1_000L);
    assertThat(page2.get("nextCursor").isNull()).isTrue();

    JsonNode errors =
        read(
            c,
            "/api/analytics/events?meter=errors&from=2025-12-31T00:00:00Z&to=2026-01-02T00:00:00Z");
    assertThat(errors.get("items")).hasSize(4);
    assertThat(read(c, "/api/analytics/events?meter=errors&to=2025-12-31T00:00:00Z").get("items"))
        .isEmpty();
    assertThat(read(c, "/api/analytics/events?userId=nobody").get("items")).isEmpty();

    Answer csv =
        http.get("/api/analytics/export.csv?meter=files_uploaded", "Authorization", c.bearer());
    assertThat(csv.status()).as(csv.body()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    assertThat(csv.header("Content-Disposition"))
        .isEqualTo("attachment; filename=\"usage-" + c.tenant().value() + "-20260101.csv\"");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).contains("meter").contains("quantity");
    assertThat(lines[1]).contains("files_uploaded").contains("file-uploaded:");
  }

  @Test
  void usageNeedsTheUsageReadScope() {
    Caller owner = callers.tenant("free");
    Caller files = callers.key(owner.tenant(), "files:read", "files:write");
    Caller usage = callers.key(owner.tenant(), "usage:read");
    for (String path :
        List.of(
            "/api/usage/current",
            "/api/usage/stats",
            "/api/usage/breakdown",
            "/api/errors/stats",
            "/api/errors/analysis",
            "/api/quotas",
            "/api/analytics/events",
            "/api/analytics/metrics",
            "/api/analytics/export.csv")) {
      Answer refused = http.get(path, "Authorization", files.bearer());
      assertThat(refused.assertProblem(403, "missing-scope").json().get("scope").asText())
          .isEqualTo("usage:read");
      assertThat(http.get(path, "Authorization", usage.bearer()).status()).as(path).isEqualTo(200);
      assertThat(http.get(path, "Authorization", owner.bearer()).status()).as(path).isEqualTo(200);
    }
  }

  @Test
  void oneTenantCannotSeeAnothersUsageByAnyParameter() {
    Caller acme = callers.tenant("free");
    Caller globex = callers.tenant("starter");
    String secret =
        upload(globex, "secret-plans.pdf", 700).assertStatus(201).json().get("id").asText();
    upload(globex, "more-plans.pdf", 300).assertStatus(201);
    http.get("/api/files/" + "0".repeat(32), "Authorization", globex.bearer())
        .assertProblem(404, "not-found");
    upload(acme, "mine.pdf", 5).assertStatus(201);
    settle();
    String other = globex.tenant().value();
    // What globex's own key sees: two files, 1,000 bytes, one error. None of it may show for acme.
    assertNumbers(globex, new String[] {"Authorization", globex.bearer()}, "", 2, 1_000, 1);
    String[][] disguises = {
      {"Authorization", acme.bearer()},
      {"Authorization", acme.bearer(), "X-Tenant-ID", other},
      {"Authorization", acme.bearer(), "X-Tenant-Id", other}
    };
    for (String[] headers : disguises) {
      for (String query :
          List.of("", "?tenant_id=" + other, "?tenant=" + other, "?tenantId=" + other)) {
        String sep = query.isEmpty() ? "?" : "&";
        JsonNode events =
            http.get("/api/analytics/events" + query, headers).assertStatus(200).json();
        assertThat(events.get("items")).isNotEmpty();
        events
            .get("items")
            .forEach(e -> assertThat(e.get("idempotencyKey").asText()).doesNotContain(secret));
        JsonNode storage =
            http.get("/api/analytics/events" + query + sep + "meter=storage_bytes", headers).json();
        assertThat(storage.get("items"))
            .extracting(e -> e.get("quantity").asLong())
            .containsExactly(5L);
        JsonNode current = http.get("/api/usage/current" + query, headers).assertStatus(200).json();
        assertThat(meter(current.get("meters"), "storage_bytes")).isEqualTo("5");
        assertThat(current.get("limits").get(1).get("used").asLong()).isEqualTo(5);
        String csv =
            http.get("/api/analytics/export.csv" + query, headers).assertStatus(200).body();
        assertThat(csv).contains("file-stored:").doesNotContain(secret).doesNotContain(other);
        JsonNode errors = http.get("/api/errors/stats" + query, headers).assertStatus(200).json();
        assertThat(errors.get("errors").asLong()).isZero();
        assertNumbers(acme, headers, query, 1, 5, 0);
      }
    }
    // A cursor from globex's listing is refused for acme.
    String globexCursor =
        http.get("/api/analytics/events?limit=1", "Authorization", globex.bearer())
            .json()
            .get("nextCursor")
            .asText();
    http.get(
            "/api/analytics/events?limit=1&cursor=" + encode(globexCursor),
            "Authorization",
            acme.bearer())
        .assertProblem(400, "invalid-input");
  }

  /**
   * Checks the numbers of {@code /api/quotas}, {@code /api/usage/stats}, {@code
   * /api/usage/breakdown}, {@code /api/errors/analysis} and {@code /api/analytics/metrics} for one
   * tenant's files, stored bytes and errors, read with {@code headers} and {@code query} (which may
   * name another tenant, to no effect).
   */
  private void assertNumbers(
      Caller c, String[] headers, String query, long files, long bytes, long errors) {
    String and = query.isEmpty() ? "?" : query + "&";
    String who =
        c.tenant().value() + " " + String.join(" ", headers).replace(c.bearer(), "") + query;
    settle();
    JsonNode limits =
        http.get("/api/quotas" + query, headers).assertStatus(200).json().get("limits");
    assertThat(limits.get(0).get("name").asText()).isEqualTo("files");
    assertThat(limits.get(0).get("used").asLong()).as(who).isEqualTo(files);
    assertThat(limits.get(1).get("name").asText()).isEqualTo("storage_bytes");
    assertThat(limits.get(1).get("used").asLong()).as(who).isEqualTo(bytes);

    JsonNode stats =
        http.get("/api/usage/stats" + and + "period=7d", headers).assertStatus(200).json();
    assertThat(meter(stats.get("meters"), "files_uploaded"))
        .as(who)
        .isEqualTo(Long.toString(files));
    assertThat(meter(stats.get("meters"), "storage_bytes")).as(who).isEqualTo(Long.toString(bytes));
    assertThat(meter(stats.get("meters"), "errors")).as(who).isEqualTo(Long.toString(errors));

    JsonNode breakdown =
        http.get("/api/usage/breakdown" + and + "period=30d", headers).assertStatus(200).json();
    assertThat(
            slices(find(breakdown.get("meters"), "files_uploaded").get("dimensions").get("type")))
        .as(who)
        .containsExactly("pdf=" + files + " (1)");

    JsonNode analysis =
        http.get("/api/errors/analysis" + and + "period=30d", headers).assertStatus(200).json();
    assertThat(analysis.get("errors").asLong()).as(who).isEqualTo(errors);
    assertThat(analysis.get("patterns")).as(who).hasSize((int) errors);

    JsonNode metrics =
        http.get("/api/analytics/metrics" + and + "period=30d", headers).assertStatus(200).json();
    for (String window : List.of("today", "period")) {
      JsonNode w = metrics.get(window);
      assertThat(w.get("errors").asLong()).as(who + " " + window).isEqualTo(errors);
      assertThat(meter(w.get("meters"), "storage_bytes")).as(who).isEqualTo(Long.toString(bytes));
      assertThat(meter(w.get("meters"), "files_uploaded")).as(who).isEqualTo(Long.toString(files));
    }
  }

  @Test
  void noMalformedInputGivesAServerError() {
    Caller c = callers.tenant("free");
    String auth = c.bearer();
    List<String> bad =
        List.of(
            "/api/usage/stats?period=7D",
            "/api/usage/stats?period=2w",
            "/api/usage/stats?period=",
            "/api/usage/stats?period=30d%00",
            "/api/usage/stats?period=1y;drop",
            "/api/usage/stats?period=7d&period=30d",
            "/api/usage/breakdown?period=-1d",
            "/api/errors/stats?period=365d",
            "/api/errors/analysis?period=%E2%80%AE7d",
            "/api/analytics/metrics?period=" + "9".repeat(400),
            "/api/analytics/events?limit=0",
            "/api/analytics/events?limit=1001",
            "/api/analytics/events?limit=abc",
            "/api/analytics/events?cursor=garbage",
            "/api/analytics/events?cursor=" + "A".repeat(3000),
            "/api/analytics/events?meter=nope",
            "/api/analytics/events?meter=../../etc",
            "/api/analytics/events?from=yesterday",
            "/api/analytics/events?to=2026-13-01T00:00:00Z",
            "/api/analytics/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "/api/analytics/events?from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
            "/api/analytics/events?from=-1000000000-01-01T00:00:00Z",
            "/api/analytics/events?to=+1000000000-12-31T23:59:59Z",
            "/api/analytics/events?from=1969-12-31T23:59:59Z",
            "/api/analytics/export.csv?meter=nope",
            "/api/analytics/export.csv?from=x",
            "/api/analytics/nothing-here");
    for (String path : bad) {
      Answer a = http.get(path, "Authorization", auth);
      assertThat(a.status()).as(path + ": " + a.body()).isBetween(400, 499);
      a.assertClientProblem();
    }
    List<String> odd =
        List.of(
            "/api/analytics/events?userId=" + "u".repeat(300),
            "/api/analytics/events?source=%3D1%2B1",
            "/api/analytics/export.csv?userId=%40SUM(A1)");
    for (String path : odd) {
      assertThat(http.get(path, "Authorization", auth).status()).as(path).isIn(200, 400);
    }
    http.send("POST", "/api/usage/stats", "{}", "Authorization", auth).assertClientProblem();
  }

  /** The tenant's stored request latencies in milliseconds, ascending. */
  private List<BigDecimal> storedLatencies(Caller c) {
    return metering
        .queries()
        .events(
            c.tenant(),
            new EventFilter(Meters.REQUEST_LATENCY.name(), null, null, null),
            null,
            1_000)
        .items()
        .stream()
        .map(e -> e.event().quantity())
        .sorted()
        .toList();
  }

  private Answer upload(Caller c, String name, int size) {
    byte[] content = new byte[size];
    new Random(size).nextBytes(content);
    return http.upload(
        "/api/files", "file", name, "application/pdf", content, "Authorization", c.bearer());
  }

  /** Reads JSON after the server finished every request and the usage buffer is written. */
  private JsonNode read(Caller c, String path) {
    settle();
    return http.get(path, "Authorization", c.bearer()).assertStatus(200).json();
  }

  private void settle() {
    server.await();
    metering.usageMeter().flush();
  }

  private static List<String> slices(JsonNode slices) {
    List<String> out = new ArrayList<>();
    slices.forEach(
        s ->
            out.add(
                s.get("key").asText()
                    + "="
                    + s.get("value").decimalValue().toPlainString()
                    + " ("
                    + s.get("share").decimalValue().stripTrailingZeros().toPlainString()
                    + ")"));
    return out;
  }

  private static JsonNode find(JsonNode meters, String name) {
    for (JsonNode m : meters) {
      if (m.get("meter").asText().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no meter " + name + " in " + meters);
  }

  private static String meter(JsonNode meters, String name) {
    JsonNode m = find(meters, name);
    return (m.has("value") ? m.get("value") : m.get("total")).decimalValue().toPlainString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
