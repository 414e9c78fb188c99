package dev.tenantkit.adapters.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The auto-configured filter and operator API over real HTTP in an embedded Tomcat: an operator
 * creates tenants and keys, tenants call the app's routes, and every refusal is a problem.
 */
@SpringBootTest(
    classes = TestApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "tenantkit.operator-key=" + TenantkitWebEndToEndTest.OPERATOR_KEY,
      "tenantkit.filter.exclude-paths=/api/public/**",
      "tenantkit.filter.scopes[/api/files/**]=files:read"
    })
class TenantkitWebEndToEndTest {
  static final String OPERATOR_KEY = "end-to-end-operator-key-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dataDir;

  @LocalServerPort int port;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
    // spring-jdbc is on the test class path, so Boot makes the data source; in PostgreSQL mode,
    // as Tenantkit's usage and quota tables need.
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:e2e;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void anOperatorCreatesATenantAndItsKeyWorksOnTheAppsRoutes() throws Exception {
    String acme = tenantWithKey("e2e-acme", "[\"*\"]");

    Answer whoami = get("/api/whoami", acme);
    assertThat(whoami.status()).isEqualTo(200);
    assertThat(whoami.json().get("tenant").asText()).isEqualTo("e2e-acme");
  }

  @Test
  void oneTenantsKeyNeverActsForAnother() throws Exception {
    String acme = tenantWithKey("e2e-one", "[\"*\"]");
    tenantWithKey("e2e-two", "[\"*\"]");

    Answer viaParameter = get("/api/whoami?tenant_id=e2e-two", acme, "X-Tenant-ID", "e2e-two");
    assertThat(viaParameter.status()).isEqualTo(200);
    assertThat(viaParameter.json().get("tenant").asText()).isEqualTo("e2e-one");
  }

  @Test
  void refusalsAreProblems() throws Exception {
    assertProblem(get("/api/whoami", null), 401, "missing-credential");
    assertProblem(get("/api/whoami", "tk.e2e-acme.nokey.nosecret"), 401, "invalid-credential");
    assertProblem(
        get("/api/whoami", null, "Authorization", "Basic dXNlcjpwYXNz"), 401, "invalid-credential");
  }

  @Test
  void scopeRulesFromPropertiesAreEnforced() throws Exception {
    String reader = tenantWithKey("e2e-scoped", "[\"files:read\"]");
    String other = issueKey("e2e-scoped", "[\"usage:read\"]");

    assertThat(get("/api/files/list", reader).status()).isEqualTo(200);
    assertProblem(get("/api/files/list", other), 403, "missing-scope");
  }

  @Test
  void excludedPathsNeedNoTenant() throws Exception {
    Answer ping = get("/api/public/ping", null);
    assertThat(ping.status()).isEqualTo(200);
    assertThat(ping.json().get("bound").asText()).isEqualTo("false");
  }

  @Test
  void tenantkitExceptionsFromControllersAreProblemsNotServerErrors() throws Exception {
    String key = tenantWithKey("e2e-errors", "[\"*\"]");

    assertProblem(get("/api/fail?kind=not-found", key), 404, "tenant-not-found");
    Answer invalid = get("/api/fail?kind=invalid", key);
    assertProblem(invalid, 400, "invalid-input");
    assertThat(invalid.json().get("field").asText()).isEqualTo("name");
  }

  @Test
  void theOperatorApiRefusesTenantKeysAndMissingKeys() throws Exception {
    String key = tenantWithKey("e2e-intruder", "[\"*\"]");

    assertProblem(get("/admin/tenants", key), 401, "invalid-credential");
    assertProblem(get("/admin/tenants", null), 401, "missing-credential");
    assertThat(get("/admin/tenants", OPERATOR_KEY).status()).isEqualTo(200);
  }

  private String tenantWithKey(String id, String scopes) throws Exception {
    Answer created =
        post(
            "/admin/tenants",
            "{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\",\"plan\":\"free\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return issueKey(id, scopes);
  }

  private String issueKey(String id, String scopes) throws Exception {
    Answer issued =
        post("/admin/tenants/" + id + "/api-keys", "{\"name\":\"test\",\"scopes\":" + scopes + "}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    return issued.json().get("key").asText();
  }

  private static void assertProblem(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.contentType()).startsWith("application/problem+json");
    assertThat(answer.json().get("type").asText()).endsWith("/" + code);
    assertThat(answer.json().get("status").asInt()).isEqualTo(status);
  }

  private Answer post(String path, String body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + OPERATOR_KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return send(request);
  }

  private Answer get(String path, String bearer, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request.build());
  }

  private static Answer send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body());
  }

  private record Answer(int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }
  }
}
