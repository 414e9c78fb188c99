package dev.tenantkit.adapters.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Quotas and metering auto-configured in a Spring MVC app on a real Tomcat: an operator lowers a
 * tenant's rate limit, the tenant runs into it and gets a 429 with the rate-limit fields, and both
 * the allowed and the refused calls are metered under the route pattern.
 */
@SpringBootTest(
    classes = {TestApp.class, TenantkitQuotaEndToEndTest.Config.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + TenantkitQuotaEndToEndTest.OPERATOR_KEY)
class TenantkitQuotaEndToEndTest {
  static final String OPERATOR_KEY = "quota-e2e-operator-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final BlockingQueue<List<UsageEvent>> METERED = new LinkedBlockingQueue<>();

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired FakeClock clock;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:quota-e2e;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE"
                + ";DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
  }

  /** A fake clock for Tenantkit, and the usage meter wrapped so the test sees what is metered. */
  @TestConfiguration
  static class Config {
    @Bean
    FakeClock clock() {
      return FakeClock.create();
    }

    @Bean
    UsageMeter usageMeter(Metering metering) {
      UsageMeter meter = metering.usageMeter();
      return new UsageMeter() {
        @Override
        public RecordOutcome record(UsageEvent event) {
          return recordAll(List.of(event)).get(0);
        }

        @Override
        public List<RecordOutcome> recordAll(List<UsageEvent> events) {
          try {
            return meter.recordAll(events);
          } finally {
            METERED.add(events);
          }
        }

        @Override
        public void flush() {
          meter.flush();
        }

        @Override
        public void close() {}
      };
    }
  }

  @Test
  void aTenantOverItsRateLimitGets429WithTheFieldsAndTheCallsAreMetered() throws Exception {
    assertThat(
            send(
                    "POST",
                    "/admin/tenants",
                    OPERATOR_KEY,
                    "{\"id\":\"q-acme\",\"name\":\"Q\",\"plan\":\"free\"}")
                .status())
        .isEqualTo(201);
    String key =
        send("POST", "/admin/tenants/q-acme/api-keys", OPERATOR_KEY, null)
            .json()
            .get("key")
            .asText();
    Answer lowered =
        send(
            "PUT",
            "/admin/tenants/q-acme/quotas/requests_per_minute",
            OPERATOR_KEY,
            "{\"limit\":2}");
    assertThat(lowered.status()).as(lowered.body()).isEqualTo(200);

    Answer first = send("GET", "/api/items/7", key, null);
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.header("RateLimit-Policy")).isEqualTo("\"requests_per_minute\";q=2;w=60");
    assertThat(first.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=1;t=30");
    assertThat(send("GET", "/api/items/8", key, null).status()).isEqualTo(200);
    Answer refused = send("GET", "/api/items/9", key, null);

    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
    assertThat(refused.header("Retry-After")).isEqualTo("30");
    assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"requests_per_minute\";q=2;w=60");
    // The draft's effective window: no quota until the next token, as Retry-After says.
    assertThat(refused.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=30");
    JsonNode problem = refused.json();
    assertThat(problem.get("type").asText())
        .isEqualTo("https://tenantkit.dev/problems/quota-exceeded");
    assertThat(problem.get("limit").asText()).isEqualTo("requests_per_minute");
    assertThat(problem.get("limitValue").asLong()).isEqualTo(2);
    assertThat(problem.get("remaining").asLong()).isZero();

    List<UsageEvent> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      List<UsageEvent> batch = METERED.poll(30, TimeUnit.SECONDS);
      assertThat(batch).as("call %d was metered", i + 1).isNotNull();
      batch.stream().filter(e -> e.meter().equals("api_calls")).forEach(calls::add);
    }
    assertThat(calls)
        .extracting(e -> e.dimensions().get("endpoint") + " " + e.dimensions().get("status"))
        .containsExactly("/api/items/{id} 200", "/api/items/{id} 200", "/api/items/{id} 429");

    clock.advance(Duration.ofSeconds(30));
    assertThat(send("GET", "/api/items/10", key, null).status()).isEqualTo(200);
    JsonNode quotas = send("GET", "/admin/tenants/q-acme/quotas", OPERATOR_KEY, null).json();
    assertThat(quotas.get("limits"))
        .filteredOn(l -> l.get("name").asText().equals("api_calls"))
        .extracting(l -> l.get("used").asLong())
        .as("the refused call took no api_calls")
        .containsExactly(3L);
  }

  private Answer send(String method, String path, String bearer, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.headers(), r.body());
  }

  private record Answer(int status, HttpHeaders headers, String body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }
}
