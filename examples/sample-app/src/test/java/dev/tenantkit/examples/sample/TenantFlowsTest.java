package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A tenant on the free plan against its request rate over HTTP (the other sample-app tests lift
 * it), an upload as a product event (user, source, file), and purging a tenant over the operator
 * API: its files, usage and quota state go, so a tenant created later under the same id starts from
 * nothing and cannot read the old one's data.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + TenantFlowsTest.OPERATOR_KEY)
class TenantFlowsTest {
  static final String OPERATOR_KEY = "purge-test-operator-key-0123456789abcdef";

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Metering metering;
  @Autowired JdbcTemplate jdbc;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @Test
  void theFreePlansRequestRateAnswers429WithRetryAfterAndRateLimitFields() {
    Http http = new Http(port);
    TenantId id = TenantId.of("rate-free");
    tenancy.tenants().create(NewTenant.of(id, "Rate Free", "free"));
    Caller c = new Callers(tenancy, quotas).key(id, "*");
    // The test clock stands still, so the bucket of 30 a minute never refills.
    for (int i = 1; i <= 30; i++) {
      Answer ok = http.get("/api/files", "Authorization", c.bearer()).assertStatus(200);
      assertThat(ok.header("RateLimit-Policy")).contains("\"requests_per_minute\";q=30;w=60");
      assertThat(ok.header("RateLimit")).contains("\"requests_per_minute\";r=" + (30 - i) + ";");
    }
    Answer refused = http.get("/api/files", "Authorization", c.bearer());
    JsonNode problem = refused.assertProblem(429, "quota-exceeded").json();
    assertThat(problem.get("limit").asText()).isEqualTo(PlanCatalog.REQUESTS_PER_MINUTE);
    // One token comes back every 2 seconds: t, the draft's effective window, agrees with
    // Retry-After (not the 60 seconds until the empty bucket is full again).
    assertThat(refused.header("Retry-After")).isEqualTo("2");
    assertThat(refused.header("RateLimit")).contains("\"requests_per_minute\";r=0;t=2");
  }

  @Test
  void anUploadIsAlsoAProductEventWithItsUserSourceAndFile() {
    Http http = new Http(port);
    Callers callers = new Callers(tenancy, quotas);
    Caller uploader = callers.tenant("starter");
    Caller other = callers.key(uploader.tenant(), "*");
    String fileId =
        http.upload(
                "/api/files",
                "file",
                "plan.txt",
                "text/plain",
                "x".getBytes(StandardCharsets.UTF_8),
                "Authorization",
                uploader.bearer())
            .assertStatus(201)
            .json()
            .get("id")
            .asText();
    metering.usageMeter().flush();
    // The user of an API key is its id, the third part of tk.<tenant>.<key id>.<secret>.
    String keyId = uploader.key().split("\\.")[2];
    JsonNode items =
        http.get(
                "/api/analytics/events?userId=" + keyId + "&source=api",
                "Authorization",
                other.bearer())
            .assertStatus(200)
            .json()
            .get("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).get("meter").asText()).isEqualTo("files_uploaded");
    assertThat(items.get(0).get("userId").asText()).isEqualTo(keyId);
    assertThat(items.get(0).get("properties").get("file_id").asText()).isEqualTo(fileId);
    String otherKeyId = other.key().split("\\.")[2];
    assertThat(
            http.get(
                    "/api/analytics/events?userId=" + otherKeyId + "&source=api",
                    "Authorization",
                    other.bearer())
                .assertStatus(200)
                .json()
                .get("items"))
        .isEmpty();
  }

  @Test
  void aTenantCreatedUnderAPurgedIdFindsNothingOfTheOldOne() {
    Http http = new Http(port);
    Callers callers = new Callers(tenancy, quotas);
    Caller old = callers.tenant("free");
    TenantId id = old.tenant();
    String fileId =
        http.upload(
                "/api/files",
                "file",
                "secret.txt",
                "text/plain",
                "old tenant's secret".getBytes(StandardCharsets.UTF_8),
                "Authorization",
                old.bearer())
            .assertStatus(201)
            .json()
            .get("id")
            .asText();
    metering.usageMeter().flush();
    assertThat(metering.queries().events(id, EventFilter.all(), null, 10).items()).isNotEmpty();
    assertThat(Files.exists(dataDir.resolve("files").resolve(id.value()))).isTrue();

    String operator = "Bearer " + OPERATOR_KEY;
    http.send("DELETE", "/admin/tenants/" + id.value(), null, "Authorization", operator)
        .assertStatus(200);
    http.send("POST", "/admin/tenants/" + id.value() + "/purge", null, "Authorization", operator)
        .assertStatus(204);

    assertThat(Files.exists(dataDir.resolve("files").resolve(id.value()))).isFalse();
    assertThat(
            jdbc.queryForObject(
                "select count(*) from sample_files where tenant_id = ?", Long.class, id.value()))
        .isZero();
    assertThat(metering.queries().events(id, EventFilter.all(), null, 10).items()).isEmpty();

    tenancy.tenants().create(NewTenant.of(id, "Someone else", "free"));
    callers.unlimitedCalls(id);
    Caller next = callers.key(id, "*");
    JsonNode files =
        http.get("/api/files", "Authorization", next.bearer()).assertStatus(200).json();
    assertThat(files.get("items")).isEmpty();
    http.get("/api/files/" + fileId, "Authorization", next.bearer())
        .assertProblem(404, "not-found");
    JsonNode uploaded =
        http.get("/api/usage/current", "Authorization", next.bearer()).assertStatus(200).json();
    assertThat(uploaded.toString()).doesNotContain("\"files_uploaded\",\"value\":1");
    assertThat(
            quotas.admin().status(id).stream()
                .filter(s -> s.limitName().equals(PlanCatalog.FILES))
                .map(QuotaStatus::used))
        .containsExactly(0L);
    metering.usageMeter().flush();
    assertThat(metering.queries().events(id, EventFilter.all(), null, 100).items())
        .noneMatch(e -> e.event().meter().equals("files_uploaded"));
  }
}
