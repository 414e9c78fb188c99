package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.MeteredApp.ACME;
import static dev.tenantkit.adapters.servlet.MeteredApp.BETA;
import static dev.tenantkit.adapters.servlet.TenantFilterTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MeteringAdminRoutesTest {
  private MeteredApp app;

  @BeforeEach
  void setUp() throws Exception {
    app = new MeteredApp(MeteredApp.Options.defaults());
  }

  @AfterEach
  void tearDown() {
    app.close();
  }

  private static JsonNode limit(JsonNode quotas, String name) {
    return StreamSupport.stream(quotas.get("limits").spliterator(), false)
        .filter(l -> l.get("name").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void everyRouteNeedsTheOperatorKeyNotATenantKey() {
    for (String[] route :
        List.of(
            new String[] {"GET", "/admin/usage"},
            new String[] {"POST", "/admin/usage/rollup"},
            new String[] {"GET", "/admin/tenants/acme/quotas"},
            new String[] {"PUT", "/admin/tenants/acme/quotas/api_calls"})) {
      assertProblem(app.http.send(route[0], route[1], null, null), 401, "missing-credential");
      assertProblem(
          app.http.send(
              route[0], route[1], null, null, "Authorization", "Bearer " + app.keys.get(ACME)),
          401,
          "invalid-credential");
    }
  }

  @Test
  void showsWhereATenantStandsOnEveryLimit() {
    app.call(ACME, "/api/items/1");

    Harness.Response r = app.admin("GET", "/tenants/acme/quotas", null);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonNode body = r.json();
    assertThat(body.get("tenantId").asText()).isEqualTo("acme");
    assertThat(body.get("plan").asText()).isEqualTo("free");
    assertThat(body.get("limits"))
        .extracting(l -> l.get("name").asText())
        .containsExactly("files", "storage_bytes", "api_calls", "tokens", "requests_per_minute");
    JsonNode calls = limit(body, "api_calls");
    assertThat(calls.get("kind").asText()).isEqualTo("allowance");
    assertThat(calls.get("used").asLong()).isEqualTo(1);
    assertThat(calls.get("limit").asLong()).isEqualTo(1000);
    assertThat(calls.get("planLimit").asLong()).isEqualTo(1000);
    assertThat(calls.get("remaining").asLong()).isEqualTo(999);
    assertThat(calls.get("resetAt").asText()).isEqualTo("2026-02-01T00:00:00Z");
    assertThat(calls.get("hard").asBoolean()).isTrue();
    assertThat(calls.get("overridden").asBoolean()).isFalse();
    assertThat(calls.get("unlimited").asBoolean()).isFalse();
    assertThat(limit(body, "files").get("resetAt").isNull()).isTrue();
  }

  @Test
  void anOverrideAppliesToTheNextRequestAndNullRemovesIt() {
    Harness.Response set =
        app.admin("PUT", "/tenants/acme/quotas/requests_per_minute", "{\"limit\":2}");
    assertThat(set.status()).as(set.body()).isEqualTo(200);
    JsonNode rpm = limit(set.json(), "requests_per_minute");
    assertThat(rpm.get("limit").asLong()).isEqualTo(2);
    assertThat(rpm.get("planLimit").asLong()).isEqualTo(30);
    assertThat(rpm.get("overridden").asBoolean()).isTrue();

    Harness.Response first = app.call(ACME, "/api/items/1");
    assertThat(first.header("RateLimit-Policy"))
        .as("the bucket still fills in the plan's minute")
        .isEqualTo("\"requests_per_minute\";q=2;w=60");
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);

    Harness.Response removed =
        app.admin("PUT", "/tenants/acme/quotas/requests_per_minute", "{\"limit\":null}");
    assertThat(limit(removed.json(), "requests_per_minute").get("overridden").asBoolean())
        .isFalse();
    // The bucket keeps its state in time: it was empty, and it fills in the plan's minute.
    Harness.Response after = app.call(ACME, "/api/items/1");
    assertThat(after.header("RateLimit-Policy")).isEqualTo("\"requests_per_minute\";q=30;w=60");
    assertThat(after.header("Retry-After")).isEqualTo("2");
    assertThat(after.header("RateLimit")).isEqualTo("\"requests_per_minute\";r=0;t=2");
    app.clock.advance(Duration.ofSeconds(2));
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
  }

  @Test
  void raisingAnUsedUpAllowanceLetsTheNextRequestThrough() {
    app.admin("PUT", "/tenants/acme/quotas/api_calls", "{\"limit\":1}");
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);

    app.admin("PUT", "/tenants/acme/quotas/api_calls", "{\"limit\":2}");

    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(200);
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);
  }

  @Test
  void unlimitedAndZeroAreOverridesToo() {
    app.admin("PUT", "/tenants/acme/quotas/api_calls", "{\"limit\":\"unlimited\"}");
    JsonNode calls = limit(app.admin("GET", "/tenants/acme/quotas", null).json(), "api_calls");
    assertThat(calls.get("unlimited").asBoolean()).isTrue();
    assertThat(calls.get("limit").isNull()).isTrue();

    app.admin("PUT", "/tenants/acme/quotas/api_calls", "{\"limit\":0}");
    Harness.Response blocked = app.call(ACME, "/api/items/1");
    assertProblem(blocked, 429, "quota-exceeded");
    assertThat(blocked.header("Retry-After")).as("waiting does not help").isNull();
  }

  @Test
  void anOverrideForOneTenantNeverChangesAnother() {
    app.admin("PUT", "/tenants/acme/quotas/requests_per_minute", "{\"limit\":1}");
    app.admin("PUT", "/tenants/acme/quotas/api_calls", "{\"limit\":5}");

    JsonNode beta = app.admin("GET", "/tenants/beta/quotas", null).json();
    assertThat(limit(beta, "requests_per_minute").get("limit").asLong()).isEqualTo(30);
    assertThat(limit(beta, "requests_per_minute").get("overridden").asBoolean()).isFalse();
    assertThat(limit(beta, "api_calls").get("limit").asLong()).isEqualTo(1000);
    assertThat(app.quotas.admin().overrides(BETA)).isEmpty();
    app.call(BETA, "/api/items/1");
    assertThat(app.call(BETA, "/api/items/1").status()).isEqualTo(200);
    app.call(ACME, "/api/items/1");
    assertThat(app.call(ACME, "/api/items/1").status()).isEqualTo(429);
  }

  @Test
  void badOverridesAre4xxProblemsAndChangeNothing() {
    String path = "/tenants/acme/quotas/api_calls";
    assertInvalid(app.admin("PUT", path, "{\"limit\":\"5\"}"), "limit");
    assertInvalid(app.admin("PUT", path, "{\"limit\":-1}"), "limit");
    assertInvalid(app.admin("PUT", path, "{\"limit\":1.5}"), "limit");
    assertInvalid(app.admin("PUT", path, "{\"limit\":99999999999999999999}"), "limit");
    // Refused from the token's form: nothing expands the exponent to a hundred million digits.
    assertInvalid(app.admin("PUT", path, "{\"limit\":1E+100000000}"), "limit");
    assertInvalid(app.admin("PUT", path, "{\"limit\":1E-100000000}"), "limit");
    assertInvalid(app.admin("PUT", path, "{}"), "limit");
    assertInvalid(app.admin("PUT", path, "{\"limit\":5,\"extra\":1}"), "extra");
    assertInvalid(app.admin("PUT", path, "{\"limit\":5,\"limit\":6}"), "body");
    assertInvalid(app.admin("PUT", path, "[5]"), "body");
    assertInvalid(app.admin("PUT", path, "not json"), "body");
    assertInvalid(app.admin("PUT", path, null), "body");
    assertProblem(
        app.http.send(
            "PUT",
            "/admin" + path,
            "text/plain",
            "{\"limit\":5}",
            "Authorization",
            "Bearer " + MeteredApp.OPERATOR_KEY),
        415,
        "unsupported-media-type");
    assertProblem(
        app.admin("PUT", "/tenants/acme/quotas/seats", "{\"limit\":5}"), 404, "not-found");
    assertProblem(
        app.admin("PUT", "/tenants/nobody/quotas/api_calls", "{\"limit\":5}"),
        404,
        "tenant-not-found");
    assertProblem(app.admin("GET", "/tenants/nobody/quotas", null), 404, "tenant-not-found");
    assertProblem(
        app.admin("GET", "/tenants/NOT%20AN%20ID/quotas", null), 400, "malformed-tenant-id");

    assertThat(app.quotas.admin().overrides(ACME)).isEmpty();
  }

  @Test
  void aMissingLimitIsRequiredAndJsonErrorsAreInPlainWords() {
    String path = "/tenants/acme/quotas/api_calls";
    assertThat(detail(app.admin("PUT", path, "{}"), "limit")).startsWith("is required");
    assertThat(detail(app.admin("PUT", path, "{"), "body"))
        .isEqualTo(
            "is not valid JSON at line 1, column 2: it ends before the JSON value is complete");
    assertThat(detail(app.admin("PUT", path, "{\"limit\":NaN}"), "body"))
        .isEqualTo("is not valid JSON at line 1, column 13: 'NaN' is not a JSON value");
    assertThat(detail(app.admin("PUT", path, "{\"limit\":" + "1".repeat(1100) + "}"), "body"))
        .isEqualTo("is too large to read: a number longer than 1000 digits");
    assertThat(detail(app.admin("PUT", path, "{\"limit\":5,\"limit\":6}"), "body"))
        .isEqualTo("is not valid JSON at line 1, column 19: the member 'limit' appears twice");
    assertThat(detail(app.admin("PUT", path, "{\"limit\":5} {}"), "body"))
        .startsWith("is not valid JSON")
        .endsWith("there is more content after the JSON value");
    assertThat(detail(app.admin("PUT", path, "{\"limit\":tru}"), "body"))
        .isEqualTo("is not valid JSON at line 1, column 10");
    String deep = "[".repeat(1001) + "]".repeat(1001);
    assertThat(detail(app.admin("PUT", path, "{\"limit\":" + deep + "}"), "body"))
        .isEqualTo("is too large to read: nesting deeper than 1000 levels");
    assertThat(
            detail(
                app.admin(
                    "POST",
                    "/tenants",
                    "{\"id\":\"deep\",\"name\":\"Deep\",\"plan\":\"free\",\"settings\":"
                        + "{\"branding\":{\"a\":"
                        + deep
                        + "}}}"),
                "body"))
        .isEqualTo("is too large to read: nesting deeper than 1000 levels");
    assertThat(detail(app.admin("POST", "/tenants", "{\"id\":"), "body"))
        .isEqualTo(
            "is not valid JSON at line 1, column 7: it ends before the JSON value is complete");
    assertThat(app.quotas.admin().overrides(ACME)).isEmpty();
  }

  @Test
  void theQuotasOfADeletedTenantCanBeReadButNotChanged() {
    app.tenancy.tenants().delete(BETA);

    assertProblem(
        app.admin("PUT", "/tenants/beta/quotas/api_calls", "{\"limit\":5}"),
        409,
        "invalid-tenant-state");
    assertThat(app.quotas.admin().overrides(BETA)).isEmpty();
    Harness.Response read = app.admin("GET", "/tenants/beta/quotas", null);
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(limit(read.json(), "api_calls").get("overridden").asBoolean()).isFalse();
  }

  @Test
  void theUsagePeriodIsReadAsStrictlyAsOnTheTenantRoutes() {
    for (String query : List.of("period=7D", "period=7d&period=30d", "period=")) {
      assertInvalid(app.admin("GET", "/usage?" + query, null), "period");
    }
    // Sent as is: an HTTP client would refuse to send the broken escapes.
    String auth = "Bearer " + MeteredApp.OPERATOR_KEY;
    for (String[] query :
        new String[][] {
          {"/usage?period=%zz", "period"},
          {"/usage?period=7d%", "period"},
          {"/usage?%zz=7d", "query"},
          {"/tenants?status=active&limit=%G1", "limit"}
        }) {
      String answer = app.http.rawGet("/admin" + query[0], "Authorization", auth);
      assertThat(answer)
          .as(query[0])
          .startsWith("HTTP/1.1 400")
          .contains("application/problem+json", "\"field\":\"" + query[1] + "\"");
    }
    assertThat(app.admin("GET", "/usage?period=7d&other=%41", null).status()).isEqualTo(200);
  }

  @Test
  void unknownMethodsOfTheNewRoutesAre405() {
    Harness.Response r = app.admin("DELETE", "/usage", null);
    assertProblem(r, 405, "method-not-allowed");
    assertThat(r.header("Allow")).isEqualTo("GET");
    assertThat(app.admin("POST", "/tenants/acme/quotas", null).header("Allow")).isEqualTo("GET");
    assertThat(app.admin("GET", "/tenants/acme/quotas/api_calls", null).header("Allow"))
        .isEqualTo("PUT");
    assertProblem(app.admin("GET", "/usage/nothing", null), 404, "route-not-found");
  }

  @Test
  void usageShowsTotalsTopConsumersAndTenantsOverQuota() throws Exception {
    app.admin("PUT", "/tenants/beta/quotas/api_calls", "{\"limit\":2}");
    for (int i = 0; i < 3; i++) {
      app.call(ACME, "/api/items/1");
    }
    app.call(BETA, "/api/items/1");
    app.call(BETA, "/api/items/1");
    app.call(BETA, "/api/items/1");
    app.events(ACME, 6);

    Harness.Response r = app.admin("GET", "/usage", null);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("period").asText()).isEqualTo("month");
    assertThat(body.get("from").asText()).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(body.get("to").asText()).isEqualTo("2026-02-01T00:00:00Z");
    JsonNode calls = meter(body, "api_calls");
    assertThat(calls.get("total").asLong()).isEqualTo(6);
    assertThat(calls.get("tenantsWithUsage").asInt()).isEqualTo(2);
    assertThat(calls.get("topConsumers"))
        .extracting(t -> t.get("tenantId").asText() + "=" + t.get("value").asLong())
        .containsExactly("acme=3", "beta=3");
    assertThat(meter(body, "errors").get("topConsumers"))
        .extracting(t -> t.get("tenantId").asText() + "=" + t.get("value").asLong())
        .containsExactly("beta=1");
    assertThat(meter(body, "request_latency").get("aggregation").asText()).isEqualTo("max");
    assertThat(meter(body, "request_latency").get("total").asLong()).isEqualTo(42);
    assertThat(body.get("overQuota"))
        .extracting(t -> t.get("tenantId").asText())
        .containsExactly("beta");
    assertThat(body.get("overQuota").get(0).get("limits"))
        .extracting(l -> l.get("name").asText() + "@" + l.get("percentUsed").asInt())
        .containsExactly("api_calls@100");
  }

  @Test
  void usageOfARollingPeriodAndBadPeriods() throws Exception {
    app.call(ACME, "/api/items/1");
    app.events(ACME, 1);
    app.clock.advance(Duration.ofDays(10));

    JsonNode week = app.admin("GET", "/usage?period=7d", null).json();
    // A named period ends just after now, so an event stamped now is in it (as in the sample app).
    assertThat(week.get("from").asText()).isEqualTo("2026-01-04T00:00:00.000001Z");
    assertThat(week.get("to").asText()).isEqualTo("2026-01-11T00:00:00.000001Z");
    assertThat(meter(week, "api_calls").get("total").asLong()).isZero();
    JsonNode month = app.admin("GET", "/usage?period=30d", null).json();
    assertThat(meter(month, "api_calls").get("total").asLong()).isEqualTo(1);

    assertInvalid(app.admin("GET", "/usage?period=2w", null), "period");
  }

  @Test
  void rollupRunsOnRequest() throws Exception {
    app.call(ACME, "/api/items/1");
    app.events(ACME, 1);
    app.clock.advance(Duration.ofDays(2));

    Harness.Response r = app.admin("POST", "/usage/rollup", null);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().get("ran").asBoolean()).isTrue();
    assertThat(r.json().get("tenants").asInt()).isEqualTo(1);
    assertThat(r.json().get("hoursRolledUp").asLong()).isPositive();
    assertThat(
            meter(app.admin("GET", "/usage?period=7d", null).json(), "api_calls")
                .get("total")
                .asLong())
        .isEqualTo(1);
  }

  @Test
  void routesThatWouldShadowEachOtherAreRefused() {
    Tenancy tenancy = Tenancy.builder().build();
    AdminRoutes shadowing =
        () -> List.of(AdminRoute.get("/tenants/stats", r -> AdminResponse.ok("x")));
    assertThatThrownBy(
            () ->
                TenantAdminServlet.builder(tenancy, MeteredApp.OPERATOR_KEY)
                    .routes(shadowing)
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GET /tenants/{id}");
    AdminRoutes twice =
        () ->
            List.of(
                AdminRoute.put("/x/{a}", r -> AdminResponse.noContent()),
                AdminRoute.put("/x/{b}", r -> AdminResponse.noContent()));
    assertThatThrownBy(
            () ->
                TenantAdminServlet.builder(tenancy, MeteredApp.OPERATOR_KEY).routes(twice).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AdminRoute.get("usage", r -> AdminResponse.noContent()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AdminRoute.get("/a/{x}/{x}", r -> AdminResponse.noContent()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AdminRoute("HEAD", "/a", r -> AdminResponse.noContent()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MeteringAdminRoutes.builder(tenancy.tenants()).build())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void anAddedRouteReadsTypedJsonAndVariables() throws Exception {
    record Greeting(String name, int times) {}
    AdminRoutes hello =
        () ->
            List.of(
                AdminRoute.post(
                    "/hello/{tenant}",
                    r -> {
                      TenantId tenant = r.tenantId("tenant");
                      Greeting g = r.body(Greeting.class);
                      List<String> out = new ArrayList<>();
                      for (int i = 0; i < g.times(); i++) {
                        out.add("hello " + g.name() + " of " + tenant.value());
                      }
                      return AdminResponse.created(out, "/admin/hello/" + tenant.value());
                    }));
    try (Harness http =
        Harness.start(
            context ->
                context.addServlet(
                    new ServletHolder(
                        TenantAdminServlet.builder(app.tenancy, MeteredApp.OPERATOR_KEY)
                            .routes(hello)
                            .build()),
                    "/admin/*"))) {
      String auth = "Bearer " + MeteredApp.OPERATOR_KEY;
      Harness.Response ok =
          http.send(
              "POST",
              "/admin/hello/acme",
              "application/json",
              "{\"name\":\"Ann\",\"times\":2}",
              "Authorization",
              auth);
      assertThat(ok.status()).isEqualTo(201);
      assertThat(ok.header("Location")).isEqualTo("/admin/hello/acme");
      assertThat(ok.json())
          .extracting(JsonNode::asText)
          .containsExactly("hello Ann of acme", "hello Ann of acme");
      assertInvalid(
          http.send(
              "POST",
              "/admin/hello/acme",
              "application/json",
              "{\"name\":\"Ann\",\"times\":\"2\"}",
              "Authorization",
              auth),
          "times");
      assertInvalid(
          http.send(
              "POST",
              "/admin/hello/acme",
              "application/json",
              "{\"name\":\"Ann\"}",
              "Authorization",
              auth),
          "times");
      assertInvalid(
          http.send(
              "POST",
              "/admin/hello/acme",
              "application/json",
              "{\"name\":7,\"times\":1}",
              "Authorization",
              auth),
          "name");
    }
  }

  private static JsonNode meter(JsonNode usage, String name) {
    return StreamSupport.stream(usage.get("meters").spliterator(), false)
        .filter(m -> m.get("meter").asText().equals(name))
        .findFirst()
        .orElseThrow();
  }

  /** Asserts an invalid-input problem on {@code field} without the JSON library's names. */
  private static String detail(Harness.Response r, String field) {
    assertInvalid(r, field);
    String detail = r.json().get("detail").asText();
    assertThat(detail).doesNotContain("`", "Feature", "Constraints", "Source", "jackson");
    return detail;
  }

  private static void assertInvalid(Harness.Response r, String field) {
    assertProblem(r, 400, "invalid-input");
    assertThat(r.json().get("field").asText()).as(r.body()).isEqualTo(field);
  }
}
