package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.testkit.FakeClock;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers at the edges of the API, each a problem of Tenantkit's form and never a 500 of the
 * caller's making: the error path reached directly or by a forward, Spring MVC's own refusals,
 * broken query escapes, two credentials that disagree, a far expiry, paging events from an instant
 * on while the clock runs, and a limit of 0.
 */
@SpringBootTest(
    classes = {
      SampleApplication.class,
      StillClock.class,
      EdgeAnswersTest.Failing.class,
    },
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + EdgeAnswersTest.OPERATOR_KEY)
class EdgeAnswersTest {
  static final String OPERATOR_KEY = "edge-answers-test-operator-key-0123456789";

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Metering metering;
  @Autowired FakeClock clock;

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

  /** Routes that fail outside the tenant filter, so the container forwards to the error path. */
  @RestController
  static class Failing {
    @GetMapping("/test-failure")
    String fail() {
      throw new IllegalStateException("a bug in a controller");
    }

    @GetMapping("/test-send-error")
    void sendError(HttpServletResponse response) throws IOException {
      response.sendError(409);
    }
  }

  @Test
  void theErrorPathReachedDirectlyIsA404Problem() {
    for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
      for (String accept : List.of("*/*", "text/html", "application/xml")) {
        Answer a = http.send(method, "/error?trace=true", null, "Accept", accept);
        a.assertProblem(404, "route-not-found");
        assertThat(a.json().get("code").asText()).isEqualTo("route-not-found");
        assertThat(a.json().get("instance").asText()).isEqualTo("/error");
        assertThat(a.body()).doesNotContain("Whitelabel", "trace", "999");
      }
    }
    assertThat(http.send("HEAD", "/error", null).status()).isEqualTo(404);
  }

  @Test
  void aForwardedErrorKeepsItsStatusAsAProblem() {
    Answer failed = http.get("/test-failure", "Accept", "text/html");
    failed.assertProblem(500, "internal-error");
    assertThat(failed.json().get("instance").asText()).isEqualTo("/test-failure");
    assertThat(failed.body()).doesNotContain("IllegalStateException", "a bug");
    Answer refused = http.get("/test-send-error");
    refused.assertProblem(409, "conflict");
    assertThat(refused.json().get("instance").asText()).isEqualTo("/test-send-error");
  }

  @Test
  void springMvcsOwnRefusalsHaveTenantkitsTypeAndCode() {
    Caller c = callers.tenant("free");
    Answer noRoute = http.get("/api/nope", "Authorization", c.bearer());
    noRoute.assertProblem(404, "route-not-found");
    assertThat(noRoute.json().get("code").asText()).isEqualTo("route-not-found");
    assertThat(noRoute.json().get("detail").asText()).isEqualTo("no route matches /api/nope");
    Answer method = http.send("DELETE", "/api/files", null, "Authorization", c.bearer());
    method.assertProblem(405, "method-not-allowed");
    assertThat(method.json().get("code").asText()).isEqualTo("method-not-allowed");
    assertThat(method.header("Allow")).contains("GET", "POST");
    Answer xml =
        http.get("/api/analytics/events", "Authorization", c.bearer(), "Accept", "application/xml");
    xml.assertProblem(406, "not-acceptable");
    assertThat(xml.json().get("code").asText()).isEqualTo("not-acceptable");
  }

  @Test
  void aBrokenPercentEscapeIsA400NamingTheParameter() {
    Caller c = callers.tenant("free");
    for (String[] query :
        new String[][] {
          {"/api/usage/stats?period=%zz", "period"},
          {"/api/errors/stats?period=7d%", "period"},
          {"/api/analytics/events?limit=2&from=%G0", "from"},
          {"/api/files?%zz=1", "query"}
        }) {
      String answer = rawGet(query[0], "Authorization", c.bearer());
      assertThat(answer)
          .as(query[0])
          .startsWith("HTTP/1.1 400")
          .contains("application/problem+json", "\"field\":\"" + query[1] + "\"");
    }
    // The credential is still checked first.
    assertThat(rawGet("/api/usage/stats?period=%zz")).startsWith("HTTP/1.1 401");
    http.get("/api/usage/stats?period=7d&x=%41", "Authorization", c.bearer()).assertStatus(200);
  }

  @Test
  void twoCredentialHeadersMustCarryTheSameKey() {
    Caller acme = callers.tenant("free");
    Caller globex = callers.tenant("free");
    for (String authorization :
        List.of(
            acme.bearer(),
            "Bearer tk." + acme.tenant().value() + ".AAAAAAAAAAAA.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            "Basic Zm9vOmJhcg==")) {
      Answer a = http.get("/api/tenant", "Authorization", authorization, "X-Api-Key", globex.key());
      a.assertProblem(401, "invalid-credential");
      assertThat(a.json().get("detail").asText()).contains("Authorization", "X-Api-Key");
    }
    http.get("/api/tenant", "Authorization", globex.bearer(), "X-Api-Key", globex.key())
        .assertStatus(200);
  }

  @Test
  void anExpiryPastTheYear9999IsA400OnTheDatabase() {
    Caller c = callers.tenant("free");
    for (String expiry :
        List.of(
            "+1000000000-01-01T00:00:00Z", "+10000-01-01T00:00:00Z", "+294277-01-01T00:00:00Z")) {
      Answer a =
          http.send(
              "POST",
              "/admin/tenants/" + c.tenant().value() + "/api-keys",
              "{\"expiresAt\":\"" + expiry + "\"}",
              "Authorization",
              "Bearer " + OPERATOR_KEY);
      a.assertProblem(400, "invalid-input");
      assertThat(a.json().get("field").asText()).isEqualTo("expiresAt");
    }
    assertThat(tenancy.apiKeys().list(c.tenant())).hasSize(1);
  }

  @Test
  void eventsFromAnInstantOnPageWhileTheClockRuns() {
    Caller c = callers.tenant("free");
    Caller other = callers.tenant("free");
    for (int i = 0; i < 5; i++) {
      metering
          .usageMeter()
          .record(UsageEvent.builder(c.tenant(), "tokens").quantity(i + 1).build());
      metering
          .usageMeter()
          .record(UsageEvent.builder(other.tenant(), "tokens").quantity(9).build());
    }
    String query = "/api/analytics/events?meter=tokens&from=2020-01-01T00:00:00Z&limit=2";
    List<Long> quantities = new ArrayList<>();
    String cursor = null;
    String firstCursor = null;
    do {
      clock.advance(Duration.ofSeconds(1));
      JsonNode page =
          http.get(query + (cursor == null ? "" : "&cursor=" + cursor), "Authorization", c.bearer())
              .assertStatus(200)
              .json();
      page.get("items").forEach(e -> quantities.add(e.get("quantity").asLong()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      firstCursor = firstCursor == null ? cursor : firstCursor;
    } while (cursor != null);
    assertThat(quantities).containsExactly(5L, 4L, 3L, 2L, 1L);

    // Still bound to the filter and the tenant.
    for (String changed :
        List.of(
            "/api/analytics/events?meter=tokens&from=2021-01-01T00:00:00Z&limit=2",
            "/api/analytics/events?meter=tokens&limit=2",
            "/api/analytics/events?meter=tokens&from=2020-01-01T00:00:00Z"
                + "&to=9999-12-31T00:00:00Z&limit=2")) {
      Answer a = http.get(changed + "&cursor=" + firstCursor, "Authorization", c.bearer());
      a.assertProblem(400, "invalid-input");
      assertThat(a.json().get("field").asText()).isEqualTo("cursor");
    }
    http.get(query + "&cursor=" + firstCursor, "Authorization", other.bearer())
        .assertProblem(400, "invalid-input");
  }

  @Test
  void aLimitOfZeroIsAHundredPercentUsed() {
    Caller c = callers.tenant("free");
    quotas.admin().setOverride(c.tenant(), PlanCatalog.FILES, 0L);
    JsonNode limits = http.get("/api/quotas", "Authorization", c.bearer()).json().get("limits");
    JsonNode files = null;
    for (JsonNode l : limits) {
      if (l.get("name").asText().equals(PlanCatalog.FILES)) {
        files = l;
      }
    }
    assertThat(files).isNotNull();
    assertThat(files.get("percentUsed").asInt()).isEqualTo(100);
  }

  /** A GET with {@code path} exactly as given; the whole answer as text. */
  private String rawGet(String path, String... headers) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      request.append("Connection: close\r\n\r\n");
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
