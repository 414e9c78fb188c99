package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.TenantFilterTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.testkit.FakeClock;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TenantAdminServletTest {
  private static final String OPERATOR_KEY = "operator-key-0123456789";
  private static final String JSON = "application/json";

  private final FakeClock clock = FakeClock.create();
  private final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  private Harness http;

  @BeforeEach
  void setUp() throws Exception {
    TenantAccess access =
        TenantAccess.of(TenantResolvers.apiKey(tenancy.apiKeys()), tenancy.tenants());
    http =
        Harness.start(
            context -> {
              context.addServlet(
                  new ServletHolder(TenantAdminServlet.builder(tenancy, OPERATOR_KEY).build()),
                  "/admin/*");
              context.addFilter(
                  new FilterHolder(TenantFilter.builder(access).build()),
                  "/api/*",
                  EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(new TenantFilterTest.EchoServlet()), "/api/*");
            });
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
  }

  private Harness.Response admin(String method, String path, String body) {
    return http.send(
        method,
        "/admin" + path,
        body == null ? null : JSON,
        body,
        "Authorization",
        "Bearer " + OPERATOR_KEY);
  }

  private JsonNode create(String id, String name) {
    Harness.Response r =
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"plan\":\"free\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  // --- authentication ---------------------------------------------------------------------

  @Test
  void everyRouteNeedsTheOperatorKey() {
    Harness.Response missing = http.get("/admin/tenants");
    assertProblem(missing, 401, "missing-credential");
    assertThat(missing.header("WWW-Authenticate")).isEqualTo("Bearer");

    assertProblem(
        http.get("/admin/tenants", "Authorization", "Bearer operator-key-0123456788"),
        401,
        "invalid-credential");
    assertProblem(
        http.get("/admin/tenants", "Authorization", "Bearer " + OPERATOR_KEY + "x"),
        401,
        "invalid-credential");
    assertProblem(
        http.get("/admin/tenants", "Authorization", "Basic " + OPERATOR_KEY),
        401,
        "invalid-credential");
    assertThat(http.get("/admin/tenants", "Authorization", "bearer  " + OPERATOR_KEY).status())
        .isEqualTo(200);
  }

  @Test
  void noAdminRouteWorksWithATenantApiKey() {
    create("acme", "Acme");
    IssuedApiKey tenantKey =
        tenancy.apiKeys().issue(TenantId.of("acme"), ApiKeyRequest.fullAccess("app"));
    String keyId = tenantKey.key().id();
    String[][] routes = {
      {"GET", "/tenants"},
      {"POST", "/tenants"},
      {"GET", "/tenants/acme"},
      {"PATCH", "/tenants/acme"},
      {"DELETE", "/tenants/acme"},
      {"POST", "/tenants/acme/suspend"},
      {"POST", "/tenants/acme/reactivate"},
      {"POST", "/tenants/acme/purge"},
      {"GET", "/tenants/acme/api-keys"},
      {"POST", "/tenants/acme/api-keys"},
      {"DELETE", "/tenants/acme/api-keys/" + keyId},
      {"GET", "/nope"},
    };
    for (String[] route : routes) {
      for (String[] header :
          List.of(
              new String[] {"Authorization", "Bearer " + tenantKey.secret()},
              new String[] {"X-Api-Key", tenantKey.secret()})) {
        Harness.Response r =
            http.send(route[0], "/admin" + route[1], JSON, "{\"name\":\"x\"}", header);
        assertThat(r.status()).as(route[0] + " " + route[1]).isEqualTo(401);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        // The body was never read, so the connection must not be reused.
        assertThat(r.header("Connection")).isEqualTo("close");
      }
    }
    Tenant acme = tenancy.tenants().get(TenantId.of("acme"));
    assertThat(acme.status()).isEqualTo(TenantStatus.ACTIVE);
    assertThat(acme.name()).isEqualTo("Acme");
    assertThat(tenancy.apiKeys().list(acme.id())).hasSize(1).allMatch(k -> k.revokedAt() == null);
  }

  // --- tenants --------------------------------------------------------------------------

  @Test
  void createsATenantAndAnswersWithItsView() {
    Harness.Response r =
        admin(
            "POST",
            "/tenants",
            """
            {"id":"acme","name":" Acme Corp ","plan":"pro",
             "settings":{"maxFileSizeBytes":1048576,"allowedFileTypes":["PDF",".png"],
                         "webhookUrl":"https://hooks.example.com/t","webhookEvents":["file.created"],
                         "branding":{"color":"#ff0000","logo":{"w":10}}}}
            """);

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.header("Location")).isEqualTo("/admin/tenants/acme");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonNode t = r.json();
    assertThat(t.path("id").asText()).isEqualTo("acme");
    assertThat(t.path("name").asText()).isEqualTo("Acme Corp");
    assertThat(t.path("plan").asText()).isEqualTo("pro");
    assertThat(t.path("status").asText()).isEqualTo("active");
    assertThat(t.path("createdAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(t.path("updatedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(t.get("deletedAt").isNull()).isTrue();
    JsonNode s = t.path("settings");
    assertThat(s.path("maxFileSizeBytes").asLong()).isEqualTo(1_048_576L);
    assertThat(texts(s.path("allowedFileTypes"))).containsExactly("pdf", "png");
    assertThat(s.path("webhookUrl").asText()).isEqualTo("https://hooks.example.com/t");
    assertThat(texts(s.path("webhookEvents"))).containsExactly("file.created");
    assertThat(s.path("branding").isObject()).isTrue();
    assertThat(s.path("branding").path("logo").path("w").asInt()).isEqualTo(10);

    assertThat(admin("GET", "/tenants/acme", null).json()).isEqualTo(t);
  }

  @Test
  void aNewTenantWithoutSettingsHasTheDefaults() {
    JsonNode s = create("acme", "Acme").path("settings");

    assertThat(s.get("maxFileSizeBytes").isNull()).isTrue();
    assertThat(s.path("allowedFileTypes").isEmpty()).isTrue();
    assertThat(s.get("webhookUrl").isNull()).isTrue();
    assertThat(s.path("branding").isObject()).isTrue();
    assertThat(s.path("branding").isEmpty()).isTrue();
  }

  @Test
  void duplicateIdsAndNamesAreConflicts() {
    create("acme", "Acme");

    assertProblem(
        admin("POST", "/tenants", "{\"id\":\"acme\",\"name\":\"Other\",\"plan\":\"free\"}"),
        409,
        "conflict");
    assertProblem(
        admin("POST", "/tenants", "{\"id\":\"other\",\"name\":\"ACME\",\"plan\":\"free\"}"),
        409,
        "conflict");
  }

  @Test
  void listsTenantsByStatusWithCursorPagination() {
    for (String id : List.of("a1", "a2", "a3", "s1")) {
      create(id, id.toUpperCase(java.util.Locale.ROOT));
    }
    admin("POST", "/tenants/s1/suspend", null);
    create("d1", "D1");
    admin("DELETE", "/tenants/d1", null);

    assertThat(ids(admin("GET", "/tenants", null).json())).containsExactly("a1", "a2", "a3", "s1");
    assertThat(ids(admin("GET", "/tenants?status=suspended", null).json())).containsExactly("s1");
    assertThat(ids(admin("GET", "/tenants?status=DELETED", null).json())).containsExactly("d1");

    JsonNode first = admin("GET", "/tenants?status=active&limit=2", null).json();
    assertThat(ids(first)).containsExactly("a1", "a2");
    String cursor = first.path("nextCursor").asText();
    JsonNode second = admin("GET", "/tenants?status=active&limit=2&cursor=" + cursor, null).json();
    assertThat(ids(second)).containsExactly("a3");
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void patchesNamePlanAndMergesSettings() {
    admin(
        "POST",
        "/tenants",
        "{\"id\":\"acme\",\"name\":\"Acme\",\"plan\":\"free\","
            + "\"settings\":{\"webhookUrl\":\"https://h.example.com\",\"maxFileSizeBytes\":10}}");
    clock.advance(Duration.ofMinutes(5));

    Harness.Response r =
        http.send(
            "PATCH",
            "/admin/tenants/acme",
            "application/merge-patch+json",
            "{\"name\":\"Acme Two\",\"plan\":\"pro\","
                + "\"settings\":{\"webhookUrl\":null,\"branding\":{\"c\":1}}}",
            "Authorization",
            "Bearer " + OPERATOR_KEY);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode t = r.json();
    assertThat(t.path("name").asText()).isEqualTo("Acme Two");
    assertThat(t.path("plan").asText()).isEqualTo("pro");
    assertThat(t.path("settings").get("webhookUrl").isNull()).isTrue();
    assertThat(t.path("settings").path("maxFileSizeBytes").asLong()).isEqualTo(10);
    assertThat(t.path("settings").path("branding").path("c").asInt()).isEqualTo(1);
    assertThat(t.path("updatedAt").asText()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(admin("GET", "/tenants/acme", null).json()).isEqualTo(t);
  }

  @Test
  void aPatchWithAnyBadMemberChangesNothing() {
    create("acme", "Acme");
    create("beta", "Beta");

    assertProblem(
        admin("PATCH", "/tenants/acme", "{\"name\":\"New\",\"plan\":\"Not A Plan\"}"),
        400,
        "invalid-input");
    assertProblem(
        admin(
            "PATCH",
            "/tenants/acme",
            "{\"name\":\"New\",\"settings\":{\"webhookUrl\":\"ftp://x\"}}"),
        400,
        "invalid-input");
    assertProblem(
        admin("PATCH", "/tenants/acme", "{\"name\":\"Beta\",\"plan\":\"pro\"}"), 409, "conflict");
    assertProblem(admin("PATCH", "/tenants/acme", "{\"name\":\"  \"}"), 400, "invalid-input");

    Tenant acme = tenancy.tenants().get(TenantId.of("acme"));
    assertThat(acme.name()).isEqualTo("Acme");
    assertThat(acme.planId()).isEqualTo("free");
    assertThat(acme.settings().webhookUrl()).isNull();
    assertThat(acme.version()).isEqualTo(tenancy.tenants().get(TenantId.of("beta")).version());
  }

  @Test
  void walksTheLifecycle() {
    create("acme", "Acme");

    assertThat(admin("POST", "/tenants/acme/suspend", null).json().path("status").asText())
        .isEqualTo("suspended");
    assertThat(admin("POST", "/tenants/acme/reactivate", null).json().path("status").asText())
        .isEqualTo("active");
    assertProblem(admin("POST", "/tenants/acme/purge", null), 409, "invalid-tenant-state");

    clock.advance(Duration.ofHours(1));
    JsonNode deleted = admin("DELETE", "/tenants/acme", null).json();
    assertThat(deleted.path("status").asText()).isEqualTo("deleted");
    assertThat(deleted.path("deletedAt").asText()).isEqualTo("2026-01-01T01:00:00Z");
    assertProblem(admin("POST", "/tenants/acme/reactivate", null), 409, "invalid-tenant-state");
    assertProblem(
        admin("PATCH", "/tenants/acme", "{\"plan\":\"pro\"}"), 409, "invalid-tenant-state");

    Harness.Response purged = admin("POST", "/tenants/acme/purge", null);
    assertThat(purged.status()).isEqualTo(204);
    assertThat(purged.body()).isEmpty();
    assertProblem(admin("GET", "/tenants/acme", null), 404, "tenant-not-found");
    assertProblem(admin("POST", "/tenants/acme/suspend", null), 404, "tenant-not-found");
  }

  // --- API keys -------------------------------------------------------------------------

  @Test
  void issuesAFullAccessKeyWithoutABodyThatWorksOnTheTenantApi() {
    create("acme", "Acme");

    Harness.Response r = admin("POST", "/tenants/acme/api-keys", null);

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode k = r.json();
    assertThat(k.path("key").asText()).startsWith("tk.acme." + k.path("id").asText() + ".");
    assertThat(texts(k.path("scopes"))).containsExactly("*");
    assertThat(k.path("name").asText()).isEmpty();
    assertThat(k.get("expiresAt").isNull()).isTrue();
    assertThat(http.get("/api/x", "Authorization", "Bearer " + k.path("key").asText()).body())
        .startsWith("tenant=acme ");
    assertThat(admin("POST", "/tenants/acme/api-keys", "").status()).isEqualTo(201);
    assertThat(admin("POST", "/tenants/acme/api-keys", "{}").json().path("scopes").get(0).asText())
        .isEqualTo("*");
  }

  @Test
  void issuesListsAndRevokesScopedExpiringKeys() {
    create("acme", "Acme");
    Harness.Response issued =
        admin(
            "POST",
            "/tenants/acme/api-keys",
            "{\"name\":\"ci\",\"scopes\":[\"usage:read\",\"files:read\"],"
                + "\"expiresAt\":\"2026-02-01T00:00:00Z\"}");
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    JsonNode k = issued.json();
    String secret = k.path("key").asText();
    String keyId = k.path("id").asText();
    assertThat(texts(k.path("scopes"))).containsExactly("files:read", "usage:read");
    assertThat(k.path("expiresAt").asText()).isEqualTo("2026-02-01T00:00:00Z");
    assertThat(http.get("/api/x", "Authorization", "Bearer " + secret).status()).isEqualTo(200);

    Harness.Response listed = admin("GET", "/tenants/acme/api-keys", null);
    assertThat(listed.body()).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
    JsonNode item = listed.json().path("items").get(0);
    assertThat(item.has("key")).isFalse();
    assertThat(item.path("id").asText()).isEqualTo(keyId);
    assertThat(item.path("name").asText()).isEqualTo("ci");
    assertThat(item.path("lastUsedAt").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(item.get("revokedAt").isNull()).isTrue();

    clock.advance(Duration.ofMinutes(1));
    Harness.Response revoked = admin("DELETE", "/tenants/acme/api-keys/" + keyId, null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.json().path("revokedAt").asText()).isEqualTo("2026-01-01T00:01:00Z");
    assertThat(revoked.json().has("key")).isFalse();
    assertProblem(
        http.get("/api/x", "Authorization", "Bearer " + secret), 401, "revoked-credential");
    assertProblem(admin("DELETE", "/tenants/acme/api-keys/nosuchkey123", null), 404, "not-found");
  }

  @Test
  void oneTenantsKeysCannotBeSeenOrRevokedThroughAnother() {
    create("acme", "Acme");
    create("beta", "Beta");
    String acmeKeyId = admin("POST", "/tenants/acme/api-keys", null).json().path("id").asText();
    IssuedApiKey acmeKey =
        tenancy.apiKeys().issue(TenantId.of("acme"), ApiKeyRequest.fullAccess("second"));

    assertThat(admin("GET", "/tenants/beta/api-keys", null).json().path("items").isEmpty())
        .isTrue();
    assertProblem(admin("DELETE", "/tenants/beta/api-keys/" + acmeKeyId, null), 404, "not-found");
    assertProblem(
        admin("DELETE", "/tenants/beta/api-keys/" + acmeKey.key().id(), null), 404, "not-found");

    assertThat(tenancy.apiKeys().list(TenantId.of("acme")))
        .hasSize(2)
        .allMatch(key -> key.revokedAt() == null);
  }

  @Test
  void keysOfUnknownOrDeletedTenantsAreNotFound() {
    assertProblem(admin("POST", "/tenants/nobody/api-keys", null), 404, "tenant-not-found");
    assertProblem(admin("GET", "/tenants/nobody/api-keys", null), 404, "tenant-not-found");
    assertProblem(
        admin("DELETE", "/tenants/nobody/api-keys/abcdefabcdef", null), 404, "tenant-not-found");
    create("acme", "Acme");
    admin("DELETE", "/tenants/acme", null);
    assertProblem(admin("POST", "/tenants/acme/api-keys", null), 404, "tenant-not-found");
  }

  // --- bad input ------------------------------------------------------------------------

  @Test
  void badTenantBodiesAre400AndNameTheField() {
    assertInvalid(admin("POST", "/tenants", "{\"id\":\"a\",\"name\":"), "body");
    assertInvalid(admin("POST", "/tenants", "[1,2]"), "body");
    assertInvalid(admin("POST", "/tenants", "\"text\""), "body");
    assertInvalid(admin("POST", "/tenants", "{} {}"), "body");
    assertInvalid(admin("POST", "/tenants", null), "body");
    assertInvalid(
        admin("POST", "/tenants", "{\"id\":\"a\",\"id\":\"b\",\"name\":\"A\",\"plan\":\"p\"}"),
        "body");
    assertInvalid(admin("POST", "/tenants", "{\"id\":\"a\",\"name\":5,\"plan\":\"p\"}"), "name");
    assertInvalid(admin("POST", "/tenants", "{\"id\":\"a\",\"name\":\"A\"}"), "plan");
    assertInvalid(admin("POST", "/tenants", "{\"id\":\"a\",\"name\":\"A\",\"plan\":null}"), "plan");
    assertInvalid(
        admin("POST", "/tenants", "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"x\":1}"), "x");
    assertInvalid(
        admin("POST", "/tenants", "{\"id\":\"Bad Id!\",\"name\":\"A\",\"plan\":\"p\"}"), "id");
    assertInvalid(admin("POST", "/tenants", "{\"id\":7,\"name\":\"A\",\"plan\":\"p\"}"), "id");
    assertInvalid(
        admin("POST", "/tenants", "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":[]}"),
        "settings");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"colour\":1}}"),
        "settings.colour");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"maxFileSizeBytes\":1.5}}"),
        "settings.maxFileSizeBytes");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"maxFileSizeBytes\":\"9\"}}"),
        "settings.maxFileSizeBytes");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"maxFileSizeBytes\":-1}}"),
        "settings.maxFileSizeBytes");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"allowedFileTypes\":[1]}}"),
        "settings.allowedFileTypes");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"webhookUrl\":\"::\"}}"),
        "settings.webhookUrl");
    assertInvalid(
        admin(
            "POST",
            "/tenants",
            "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\",\"settings\":{\"branding\":\"{}\"}}"),
        "settings.branding");

    assertThat(tenancy.tenants().find(TenantId.of("a"))).isEmpty();
  }

  @Test
  void anIdIsTakenAsGivenNeverTrimmedOrCaseFolded() {
    // JSON escapes: a trailing newline, a Kelvin sign (U+212A, which Unicode lower-cases to k).
    for (String id : List.of("iso_a\\n", " iso_a", "Iso_A", "\\u212A-h6", "iso_a\\u0000")) {
      Harness.Response r =
          admin("POST", "/tenants", "{\"id\":\"" + id + "\",\"name\":\"A\",\"plan\":\"p\"}");
      assertInvalid(r, "id");
      assertThat(r.json().path("detail").asText()).as(id).contains("a-z");
    }
    assertThat(tenancy.tenants().find(TenantId.of("iso_a"))).isEmpty();
    assertThat(tenancy.tenants().find(TenantId.of("k-h6"))).isEmpty();

    create("acme", "Acme");
    Harness.Response upper = admin("GET", "/tenants/ACME", null);
    assertProblem(upper, 400, "malformed-tenant-id");
  }

  @Test
  void badPathsQueriesAndKeyRequestsAre400() {
    create("acme", "Acme");

    Harness.Response badId = admin("GET", "/tenants/Bad!Id", null);
    assertProblem(badId, 400, "malformed-tenant-id");
    assertThat(badId.json().path("field").asText()).isEqualTo("tenantId");
    assertProblem(
        admin("POST", "/tenants/" + "x".repeat(65) + "/suspend", null), 400, "malformed-tenant-id");

    assertInvalid(admin("GET", "/tenants?status=gone", null), "status");
    assertInvalid(admin("GET", "/tenants?limit=ten", null), "limit");
    assertInvalid(admin("GET", "/tenants?limit=0", null), "limit");
    assertInvalid(admin("GET", "/tenants?limit=1001", null), "limit");
    assertInvalid(admin("GET", "/tenants?cursor=NOT%20A%20CURSOR", null), "cursor");

    assertInvalid(admin("POST", "/tenants/acme/api-keys", "{\"scopes\":[]}"), "scopes");
    assertInvalid(admin("POST", "/tenants/acme/api-keys", "{\"scopes\":\"*\"}"), "scopes");
    assertInvalid(
        admin("POST", "/tenants/acme/api-keys", "{\"scopes\":[\"Bad Scope\"]}"), "scopes");
    assertInvalid(
        admin("POST", "/tenants/acme/api-keys", "{\"expiresAt\":\"tomorrow\"}"), "expiresAt");
    assertInvalid(
        admin("POST", "/tenants/acme/api-keys", "{\"expiresAt\":\"2025-01-01T00:00:00Z\"}"),
        "expiresAt");
    assertInvalid(
        admin("POST", "/tenants/acme/api-keys", "{\"expiresAt\":\"+1000000000-01-01T00:00:00Z\"}"),
        "expiresAt");
    assertInvalid(admin("POST", "/tenants/acme/api-keys", "{\"secret\":\"mine\"}"), "secret");

    assertThat(tenancy.apiKeys().list(TenantId.of("acme"))).isEmpty();
  }

  @Test
  void oversizedBodiesAre413() {
    String big = "{\"id\":\"a\",\"name\":\"" + "n".repeat(70_000) + "\",\"plan\":\"p\"}";

    assertProblem(admin("POST", "/tenants", big), 413, "payload-too-large");

    HttpRequest chunked =
        HttpRequest.newBuilder(http.uri("/admin/tenants"))
            .header("Authorization", "Bearer " + OPERATOR_KEY)
            .header("Content-Type", JSON)
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))))
            .build();
    assertProblem(http.send(chunked), 413, "payload-too-large");
    assertThat(tenancy.tenants().find(TenantId.of("a"))).isEmpty();
  }

  @Test
  void bodiesOfAnotherMediaTypeAre415() {
    String body = "{\"id\":\"a\",\"name\":\"A\",\"plan\":\"p\"}";
    String[] auth = {"Authorization", "Bearer " + OPERATOR_KEY};

    assertProblem(
        http.send("POST", "/admin/tenants", "text/plain", body, auth),
        415,
        "unsupported-media-type");
    assertProblem(
        http.send("POST", "/admin/tenants", "application/json; charset=ISO-8859-1", body, auth),
        415,
        "unsupported-media-type");
    assertProblem(
        http.send("POST", "/admin/tenants", "application/merge-patch+json", body, auth),
        415,
        "unsupported-media-type");
    assertThat(
            http.send("POST", "/admin/tenants", "Application/JSON; charset=\"utf-8\"", body, auth)
                .status())
        .isEqualTo(201);
  }

  @Test
  void unknownRoutesAre404AndWrongMethods405() {
    create("acme", "Acme");

    for (String path :
        List.of(
            "", "/", "/nope", "/tenants/", "/tenants/acme/nope", "/tenants/acme/api-keys/a/b")) {
      assertProblem(admin("GET", path, null), 404, "route-not-found");
    }
    Harness.Response put = admin("PUT", "/tenants", "{}");
    assertProblem(put, 405, "method-not-allowed");
    assertThat(put.header("Allow")).isEqualTo("GET, POST");
    assertThat(admin("POST", "/tenants/acme", null).header("Allow"))
        .isEqualTo("GET, PATCH, DELETE");
    assertThat(admin("GET", "/tenants/acme/suspend", null).header("Allow")).isEqualTo("POST");
    assertThat(admin("GET", "/tenants/acme/api-keys/abc", null).header("Allow"))
        .isEqualTo("DELETE");
    assertThat(admin("DELETE", "/tenants/acme/api-keys", null).status()).isEqualTo(405);
  }

  @Test
  void theOperatorKeyMustBeLongEnough() {
    assertThatThrownBy(() -> TenantAdminServlet.builder(tenancy, "short-key-123"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16");
    assertThatThrownBy(() -> TenantAdminServlet.builder(tenancy, "has a space in it!!"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TenantAdminServlet.builder(tenancy, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theTenantViewIsThePublicJsonOfATenant() {
    Tenant t = tenancy.tenants().create(NewTenant.of(TenantId.of("acme"), "Acme", "free"));

    TenantView view = TenantView.from(t);

    assertThat(view.id()).isEqualTo("acme");
    assertThat(view.status()).isEqualTo("active");
    assertThat(view.settings().branding().isObject()).isTrue();
    ((com.fasterxml.jackson.databind.node.ObjectNode) view.settings().branding()).put("x", 1);
    assertThat(view.settings().branding().isEmpty()).isTrue();
    assertThat(admin("GET", "/tenants/acme", null).json())
        .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(view));
  }

  private static void assertInvalid(Harness.Response r, String field) {
    assertProblem(r, 400, "invalid-input");
    assertThat(r.json().path("field").asText()).as(r.body()).isEqualTo(field);
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.path("items").forEach(t -> ids.add(t.path("id").asText()));
    return ids;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
