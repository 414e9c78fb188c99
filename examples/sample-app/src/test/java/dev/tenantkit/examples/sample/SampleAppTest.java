package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sample app over HTTP, started once on a random port with a fresh data dir: the demo tenants
 * of the first start, {@code GET /api/tenant}, and every way a credential can be refused.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + SampleAppTest.OPERATOR_KEY)
class SampleAppTest {
  static final String OPERATOR_KEY = "sample-app-test-operator-key-0123456789";
  private static final Pattern KEY_LINE = Pattern.compile("(?m)^  key:  (\\S+)$");

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired FakeClock clock;

  private Http http;
  private String acmeKey;
  private String globexKey;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @BeforeEach
  void readDemoKeys() throws Exception {
    http = new Http(port);
    List<String> keys = demoKeys(Files.readString(dataDir.resolve("demo-keys.txt")));
    assertThat(keys).hasSize(2);
    acmeKey = keys.get(0);
    globexKey = keys.get(1);
  }

  @Test
  void firstStartCreatesTheDemoTenantsAndKeepsTheirKeysOwnerOnly() throws Exception {
    Answer tenants = http.get("/admin/tenants", "Authorization", "Bearer " + OPERATOR_KEY);
    assertThat(tenants.status()).isEqualTo(200);
    assertThat(tenants.json().get("items").findValuesAsText("id")).contains("acme", "globex");
    assertThat(acmeKey).startsWith("tk.acme.");
    assertThat(globexKey).startsWith("tk.globex.");
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("demo-keys.txt")))
        .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
  }

  @Test
  void getTenantAnswersForEachDemoTenant() {
    JsonNode acme = http.get("/api/tenant", "Authorization", "Bearer " + acmeKey).json();
    assertThat(acme.get("id").asText()).isEqualTo("acme");
    assertThat(acme.get("name").asText()).isEqualTo("Acme Corp");
    assertThat(acme.get("plan").asText()).isEqualTo("free");
    assertThat(acme.get("status").asText()).isEqualTo("active");

    Answer globex = http.get("/api/tenant", "X-Api-Key", globexKey);
    assertThat(globex.status()).isEqualTo(200);
    assertThat(globex.contentType()).startsWith("application/json");
    assertThat(globex.json().get("id").asText()).isEqualTo("globex");
    assertThat(globex.json().get("name").asText()).isEqualTo("Globex Inc");
    assertThat(globex.json().get("plan").asText()).isEqualTo("starter");
  }

  @Test
  void healthNeedsNoCredential() {
    Answer health = http.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("UP");
  }

  @Test
  void aMissingCredentialIs401() {
    http.get("/api/tenant").assertProblem(401, "missing-credential");
  }

  @Test
  void malformedAndUnknownCredentialsAre401() {
    http.get("/api/tenant", "Authorization", "Bearer not-a-key")
        .assertProblem(401, "invalid-credential");
    http.get("/api/tenant", "Authorization", "Basic YWNtZTpzZWNyZXQ=")
        .assertProblem(401, "invalid-credential");
    http.get("/api/tenant", "X-Api-Key", "tk.acme").assertProblem(401, "invalid-credential");
    String wrongSecret = acmeKey.substring(0, acmeKey.length() - 4) + "AAAA";
    http.get("/api/tenant", "X-Api-Key", wrongSecret).assertProblem(401, "invalid-credential");
    String otherTenant = "tk.nobody" + acmeKey.substring("tk.acme".length());
    http.get("/api/tenant", "X-Api-Key", otherTenant).assertProblem(401, "invalid-credential");
  }

  @Test
  void aRevokedKeyIs401() {
    JsonNode issued = issueKey("acme", null);
    String key = issued.get("key").asText();
    assertThat(http.get("/api/tenant", "X-Api-Key", key).status()).isEqualTo(200);

    Answer revoked =
        http.send(
            "DELETE",
            "/admin/tenants/acme/api-keys/" + issued.get("id").asText(),
            null,
            "Authorization",
            "Bearer " + OPERATOR_KEY);
    assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

    http.get("/api/tenant", "X-Api-Key", key).assertProblem(401, "revoked-credential");
  }

  @Test
  void anExpiredKeyIs401() {
    String expiresAt = clock.instant().plus(Duration.ofHours(1)).toString();
    String key = issueKey("globex", expiresAt).get("key").asText();
    assertThat(http.get("/api/tenant", "X-Api-Key", key).status()).isEqualTo(200);

    clock.advance(Duration.ofHours(2));

    http.get("/api/tenant", "X-Api-Key", key).assertProblem(401, "expired-credential");
    assertThat(http.get("/api/tenant", "X-Api-Key", globexKey).status()).isEqualTo(200);
  }

  @Test
  void aSuspendedTenantIs403UntilReactivated() {
    Answer created =
        operator(
            "POST",
            "/admin/tenants",
            "{\"id\":\"initech\",\"name\":\"Initech\",\"plan\":\"free\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String key = issueKey("initech", null).get("key").asText();

    assertThat(operator("POST", "/admin/tenants/initech/suspend", null).status()).isEqualTo(200);
    http.get("/api/tenant", "X-Api-Key", key).assertProblem(403, "tenant-suspended");

    assertThat(operator("POST", "/admin/tenants/initech/reactivate", null).status()).isEqualTo(200);
    assertThat(http.get("/api/tenant", "X-Api-Key", key).json().get("id").asText())
        .isEqualTo("initech");
  }

  @Test
  void oneTenantsKeyCannotReadOrActAsAnother() {
    String acme = "Bearer " + acmeKey;
    assertThat(tenantOf(http.get("/api/tenant?tenant_id=globex", "Authorization", acme)))
        .isEqualTo("acme");
    assertThat(tenantOf(http.get("/api/tenant", "Authorization", acme, "X-Tenant-ID", "globex")))
        .isEqualTo("acme");
    assertThat(
            tenantOf(
                http.get(
                    "/api/tenant?tenant=globex&tenantId=globex",
                    "Authorization",
                    acme,
                    "X-Tenant-Id",
                    "globex")))
        .isEqualTo("acme");

    http.get("/admin/tenants/globex", "Authorization", acme)
        .assertProblem(401, "invalid-credential");
    http.send("POST", "/admin/tenants/globex/suspend", null, "Authorization", acme)
        .assertProblem(401, "invalid-credential");
    http.send("POST", "/admin/tenants/acme/api-keys", "{}", "X-Api-Key", acmeKey)
        .assertProblem(401, "missing-credential");
    assertThat(http.get("/api/tenant", "X-Api-Key", globexKey).json().get("status").asText())
        .isEqualTo("active");
  }

  @Test
  void noMalformedInputGivesAServerError() {
    String acme = "Bearer " + acmeKey;
    List<Answer> answers =
        List.of(
            http.get("/api/tenant", "Authorization", "Bearer"),
            http.get("/api/tenant", "Authorization", "Bearer tk."),
            http.get("/api/tenant", "Authorization", "Bearer tk...."),
            http.get("/api/tenant", "Authorization", "Bearer tk.ACME!.x.y"),
            http.get("/api/tenant", "Authorization", "Bearer " + "tk.acme.".repeat(500)),
            http.get("/api/tenant", "X-Api-Key", ""),
            http.get("/api/tenant", "X-Api-Key", "tk.../../..\\x"),
            http.get("/api/tenant", "Authorization", "Bearer eyJhbGciOiJub25lIn0.e30."),
            http.get("/api/nothing-here", "Authorization", acme),
            http.send("POST", "/api/tenant", "{}", "Authorization", acme),
            operator("POST", "/admin/tenants", "{"),
            operator("POST", "/admin/tenants", "[]"),
            operator(
                "POST",
                "/admin/tenants",
                "{\"id\":\"Not Valid!\",\"name\":\"x\",\"plan\":\"free\"}"),
            operator(
                "POST",
                "/admin/tenants",
                "{\"id\":\"acme\",\"name\":\"Acme Corp\",\"plan\":\"free\"}"),
            operator(
                "POST",
                "/admin/tenants",
                "{\"id\":\"x\",\"name\":\"x\",\"plan\":\"free\",\"extra\":1}"),
            operator("GET", "/admin/tenants/no-such-tenant", null),
            operator("GET", "/admin/tenants/%20bad%20", null),
            operator("GET", "/admin/tenants?limit=-1", null),
            operator("POST", "/admin/tenants/acme/api-keys", "{\"expiresAt\":\"yesterday\"}"),
            operator("POST", "/admin/tenants/acme/api-keys", "{\"scopes\":[\"NOT A SCOPE\"]}"),
            operator("DELETE", "/admin/tenants/acme/api-keys/no-such-key", null),
            operator("POST", "/admin/tenants/acme/reactivate-please", null));
    assertThat(answers).allSatisfy(Answer::assertClientProblem);
  }

  private JsonNode issueKey(String tenant, String expiresAt) {
    String body =
        expiresAt == null
            ? "{\"name\":\"test\"}"
            : "{\"name\":\"test\",\"expiresAt\":\"" + expiresAt + "\"}";
    Answer issued = operator("POST", "/admin/tenants/" + tenant + "/api-keys", body);
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    return issued.json();
  }

  private Answer operator(String method, String path, String body) {
    return http.send(method, path, body, "Authorization", "Bearer " + OPERATOR_KEY);
  }

  private static String tenantOf(Answer answer) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer.json().get("id").asText();
  }

  static List<String> demoKeys(String demoKeysFile) {
    Matcher m = KEY_LINE.matcher(demoKeysFile);
    List<String> keys = new ArrayList<>();
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }
}
