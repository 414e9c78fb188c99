package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.spi.TenantResolver;
import dev.tenantkit.tenancy.testkit.FakeClock;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantFilterTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId BETA = TenantId.of("beta");

  private final FakeClock clock = FakeClock.create();
  private final Tenancy tenancy = Tenancy.builder().clock(clock).build();

  /**
   * What an outer filter saw on the request thread after the tenant filter returned or threw. It
   * may be recorded just after the client has its answer, so tests wait for it.
   */
  private final BlockingQueue<Observation> afterwards = new LinkedBlockingQueue<>();

  private Harness http;
  private IssuedApiKey acmeKey;

  @BeforeEach
  void setUp() throws Exception {
    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "pro"));
    tenancy.tenants().create(NewTenant.of(BETA, "Beta", "free"));
    acmeKey = tenancy.apiKeys().issue(ACME, ApiKeyRequest.fullAccess("ci"));
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(
                TenantResolvers.apiKey(tenancy.apiKeys()),
                TenantResolvers.trustedGateway(List.of("127.0.0.1"), Set.of("*")),
                TenantResolvers.pathPrefix("/t/")),
            tenancy.tenants());
    TenantFilter filter =
        TenantFilter.builder(access)
            .excludePaths("/health", "/public/**")
            .requireScope("/api/usage/admin/**", "usage:admin")
            .requireScope("/api/usage/**", "usage:read")
            .build();
    http =
        Harness.start(
            context -> {
              context.addFilter(
                  new FilterHolder(observer()), "/*", EnumSet.of(DispatcherType.REQUEST));
              context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(new EchoServlet()), "/*");
              context.addServlet(new ServletHolder(new FailingServlet()), "/fail/*");
            });
  }

  @AfterEach
  void tearDown() throws Exception {
    http.close();
  }

  private Filter observer() {
    return (req, res, chain) -> {
      ((HttpServletResponse) res).setHeader("X-Outer", "kept");
      try {
        chain.doFilter(req, res);
      } finally {
        afterwards.add(new Observation(TenantContext.current(), MDC.get(TenantContext.MDC_KEY)));
      }
    };
  }

  private record Observation(Optional<TenantBinding> binding, String mdcTenant) {}

  /** Asserts that the request thread had neither a tenant nor an MDC entry left afterwards. */
  private void assertNothingLeftBound() throws InterruptedException {
    Observation seen = afterwards.poll(30, TimeUnit.SECONDS);
    assertThat(seen).as("the observer ran").isNotNull();
    assertThat(seen.binding()).isEmpty();
    assertThat(seen.mdcTenant()).isNull();
  }

  private static String[] bearer(IssuedApiKey key) {
    return new String[] {"Authorization", "Bearer " + key.secret()};
  }

  @Test
  void grantsAndBindsTheTenantOfAValidKey() throws InterruptedException {
    Harness.Response r = http.get("/api/things", bearer(acmeKey));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body())
        .isEqualTo("tenant=acme subject=" + acmeKey.key().id() + " path=/api/things");
    assertNothingLeftBound();
  }

  @Test
  void acceptsTheKeyInTheApiKeyHeader() {
    Harness.Response r = http.get("/api/things", "X-Api-Key", acmeKey.secret());

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).startsWith("tenant=acme ");
  }

  @Test
  void missingCredentialIs401WithAProblemAndBearerChallenge() {
    Harness.Response r = http.get("/api/things?x=1");

    assertProblem(r, 401, "missing-credential");
    assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
    JsonNode body = r.json();
    assertThat(body.path("title").asText()).isEqualTo("Missing credential");
    assertThat(body.path("instance").asText()).isEqualTo("/api/things");
    assertThat(body.path("detail").asText()).isNotBlank();
  }

  @Test
  void malformedKeyIs401InvalidCredential() {
    assertProblem(
        http.get("/api/things", "Authorization", "Bearer tk.acme.short.x"),
        401,
        "invalid-credential");
    assertProblem(http.get("/api/things", "X-Api-Key", "nonsense"), 401, "invalid-credential");
    assertProblem(
        http.get("/api/things", "Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"),
        401,
        "invalid-credential");
  }

  @Test
  void unknownKeyIs401InvalidCredential() {
    String secret = acmeKey.secret();
    String wrongSecret =
        secret.substring(0, secret.length() - 1) + (secret.endsWith("a") ? "b" : "a");

    assertProblem(
        http.get("/api/things", "Authorization", "Bearer " + wrongSecret),
        401,
        "invalid-credential");
  }

  @Test
  void revokedKeyIs401RevokedCredential() {
    tenancy.apiKeys().revoke(ACME, acmeKey.key().id());

    assertProblem(http.get("/api/things", bearer(acmeKey)), 401, "revoked-credential");
  }

  @Test
  void expiredKeyIs401ExpiredCredential() {
    IssuedApiKey shortLived =
        tenancy
            .apiKeys()
            .issue(ACME, new ApiKeyRequest("tmp", null, clock.instant().plus(Duration.ofHours(1))));
    assertThat(http.get("/api/things", bearer(shortLived)).status()).isEqualTo(200);

    clock.advance(Duration.ofHours(1));

    assertProblem(http.get("/api/things", bearer(shortLived)), 401, "expired-credential");
  }

  @Test
  void suspendedTenantIs403() {
    tenancy.tenants().suspend(ACME);

    assertProblem(http.get("/api/things", bearer(acmeKey)), 403, "tenant-suspended");
  }

  @Test
  void deletedTenantIs404() {
    tenancy.tenants().delete(ACME);

    assertProblem(http.get("/api/things", bearer(acmeKey)), 404, "tenant-not-found");
  }

  @Test
  void unknownTenantFromATrustedGatewayIs404() {
    assertProblem(http.get("/api/things", "X-Tenant-ID", "nobody"), 404, "tenant-not-found");
    assertThat(http.get("/api/things", "X-Tenant-ID", "beta").body()).startsWith("tenant=beta ");
  }

  @Test
  void aGatewayHeaderIsTakenAsGiven() {
    // Before, these were lower-cased into beta. (A Kelvin sign cannot be sent in an HTTP header
    // by this client; the core tests cover it.)
    for (String id : List.of("BETA", "Beta")) {
      assertProblem(http.get("/api/things", "X-Tenant-ID", id), 400, "malformed-tenant-id");
    }
  }

  @Test
  void aCredentialOrGatewayHeaderSentTwiceIsRefused() {
    // Before, the first value won: another tenant's token first, then this tenant's.
    assertProblem(
        http.get("/api/things", "X-Api-Key", acmeKey.secret(), "X-Api-Key", acmeKey.secret()),
        401,
        "invalid-credential");
    assertProblem(
        http.get("/api/things", "X-Tenant-ID", "beta", "X-Tenant-ID", "acme"),
        400,
        "malformed-tenant-id");
  }

  @Test
  void malformedTenantIdInThePathIs400() {
    assertProblem(http.get("/t/bad!id/files", bearer(acmeKey)), 400, "malformed-tenant-id");
  }

  @Test
  void aTenantsKeyOnAnotherTenantsPathIs403Mismatch() {
    assertThat(http.get("/t/acme/files", bearer(acmeKey)).body()).startsWith("tenant=acme ");

    assertProblem(http.get("/t/beta/files", bearer(acmeKey)), 403, "tenant-mismatch");
  }

  @Test
  void aPathAloneIsNotACredential() {
    assertProblem(http.get("/t/acme/files"), 401, "missing-credential");
  }

  @Test
  void scopeRulesApplyFirstMatchFirst() {
    IssuedApiKey reader =
        tenancy.apiKeys().issue(ACME, new ApiKeyRequest("r", Set.of("usage:read"), null));
    IssuedApiKey filesOnly =
        tenancy.apiKeys().issue(ACME, new ApiKeyRequest("f", Set.of("files:read"), null));

    assertThat(http.get("/api/usage/today", bearer(reader)).status()).isEqualTo(200);
    assertThat(http.get("/api/usage", bearer(reader)).status()).isEqualTo(200);
    assertThat(http.get("/api/usage/today", bearer(acmeKey)).status()).isEqualTo(200);
    assertThat(http.get("/api/files", bearer(filesOnly)).status()).isEqualTo(200);

    Harness.Response denied = http.get("/api/usage/today", bearer(filesOnly));
    assertProblem(denied, 403, "missing-scope");
    assertThat(denied.json().path("scope").asText()).isEqualTo("usage:read");

    Harness.Response adminDenied = http.get("/api/usage/admin/reset", bearer(reader));
    assertProblem(adminDenied, 403, "missing-scope");
    assertThat(adminDenied.json().path("scope").asText()).isEqualTo("usage:admin");
  }

  @Test
  void scopeRulesMatchTheDecodedPathSoEncodingCannotBypassThem() {
    IssuedApiKey filesOnly =
        tenancy.apiKeys().issue(ACME, new ApiKeyRequest("f", Set.of("files:read"), null));

    assertProblem(http.get("/api/%75sage/today", bearer(filesOnly)), 403, "missing-scope");
  }

  @Test
  void dotSegmentsCannotHideAnotherTenantsPathOrAScopedPath() {
    IssuedApiKey filesOnly = acmeKeyWith("files:read");

    // Jetty serves these as /t/beta/files and /api/usage/today; the raw URI says otherwise.
    assertThat(http.rawGetStatus("/x/../t/beta/files", bearer(acmeKey))).isEqualTo(403);
    assertThat(http.rawGetStatus("/x/../api/usage/today", bearer(filesOnly))).isEqualTo(403);
    assertThat(http.rawGetStatus("/api;p=1/usage/today", bearer(filesOnly))).isEqualTo(403);
    assertThat(http.rawGetStatus("/x/../t/acme/files", bearer(acmeKey))).isEqualTo(200);
  }

  @Test
  void excludedPathsPassWithoutATenant() {
    assertThat(http.get("/health").body()).isEqualTo("tenant=none subject=none path=/health");
    assertThat(http.get("/public").status()).isEqualTo(200);
    assertThat(http.get("/public/a/b").body()).startsWith("tenant=none ");

    assertProblem(http.get("/health/deep"), 401, "missing-credential");
    assertProblem(http.get("/publicity"), 401, "missing-credential");
  }

  @Test
  void aCredentialStoreThatCannotBeReachedAnswers503NotAServerError() throws Exception {
    // What a JDBC API key store throws when the pool cannot get a connection.
    TenantResolver down =
        request -> {
          throw new IllegalStateException(
              "Unable to acquire JDBC Connection",
              new SQLTransientConnectionException("Connection is not available"));
        };
    TenantFilter filter = TenantFilter.builder(TenantAccess.of(down, tenancy.tenants())).build();
    try (Harness failing =
        Harness.start(
            context -> {
              context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(new EchoServlet()), "/*");
            })) {
      Harness.Response r = failing.get("/api/things", bearer(acmeKey));

      assertThat(r.status()).isEqualTo(503);
      assertThat(r.code()).isEqualTo("store-unavailable");
      assertThat(r.header("Retry-After")).isEqualTo("5");
      assertThat(r.header("Content-Type")).startsWith(Problems.MEDIA_TYPE);
    }
  }

  @Test
  void theTenantIsClearedAfterARequestEvenWhenTheServletThrows() throws InterruptedException {
    Harness.Response r = http.get("/fail/runtime", bearer(acmeKey));

    assertThat(r.status()).isEqualTo(500);
    assertNothingLeftBound();
  }

  @Test
  void aTenantkitExceptionFromDownstreamBecomesAProblem() throws InterruptedException {
    Harness.Response r = http.get("/fail/not-found", bearer(acmeKey));

    assertProblem(r, 404, "not-found");
    assertThat(r.json().path("detail").asText()).isEqualTo("no such file");
    assertThat(r.body()).doesNotContain("half");
    assertThat(r.header("X-Outer")).isEqualTo("kept");
    assertNothingLeftBound();
  }

  @Test
  void aTenantkitExceptionWrappedInAServletExceptionBecomesAProblem() {
    assertProblem(http.get("/fail/wrapped", bearer(acmeKey)), 404, "not-found");
  }

  @Test
  void aScopeCheckInTheHandlerIsAnswered403() {
    Harness.Response r = http.get("/fail/scope", bearer(acmeKeyWith("files:read")));

    assertProblem(r, 403, "missing-scope");
    assertThat(r.json().path("scope").asText()).isEqualTo("billing:write");
  }

  @Test
  void requiringATenantOnAnExcludedPathIsAnswered401() {
    Harness.Response r = http.get("/health", "X-Require-Tenant", "yes");

    assertProblem(r, 401, "no-tenant-bound");
  }

  private IssuedApiKey acmeKeyWith(String scope) {
    return tenancy.apiKeys().issue(ACME, new ApiKeyRequest("s", Set.of(scope), null));
  }

  static void assertProblem(Harness.Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    JsonNode body = r.json();
    assertThat(body.path("type").asText()).isEqualTo("https://tenantkit.dev/problems/" + code);
    assertThat(body.path("status").asInt()).isEqualTo(status);
    assertThat(body.path("code").asText()).isEqualTo(code);
    assertThat(body.path("title").asText()).isNotBlank();
    assertThat(body.has("detail")).isTrue();
    assertThat(body.has("instance")).isTrue();
  }

  /** Answers with what it sees of the tenant context. */
  static final class EchoServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      if (req.getHeader("X-Require-Tenant") != null) {
        TenantContext.requireTenant();
      }
      Optional<TenantBinding> b = TenantContext.current();
      String text =
          "tenant="
              + b.map(x -> x.tenantId().value()).orElse("none")
              + " subject="
              + b.map(TenantBinding::subject).orElse("none")
              + " path="
              + ServletRequestView.of(req).path();
      resp.setContentType("text/plain");
      resp.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Fails in the way its path says, after buffering part of an answer it has not sent yet. */
  static final class FailingServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp)
        throws IOException, ServletException {
      resp.getOutputStream().write("half".getBytes(StandardCharsets.UTF_8));
      switch (req.getPathInfo()) {
        case "/not-found" -> throw new NotFoundException("no such file");
        case "/wrapped" -> throw new ServletException("wrapped", new NotFoundException("gone"));
        case "/scope" -> TenantContext.requireScope("billing:write");
        default -> throw new IllegalStateException("boom");
      }
    }
  }
}
