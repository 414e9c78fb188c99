package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
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
 * Purging a tenant over the operator API removes its files, usage and quota state, so a tenant
 * created later under the same id starts from nothing and cannot read the old one's data.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + PurgeTest.OPERATOR_KEY)
class PurgeTest {
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
    metering.meter().flush();
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
            quotas.status(id).stream()
                .filter(s -> s.limitName().equals(PlanCatalog.FILES))
                .map(QuotaStatus::used))
        .containsExactly(0L);
    metering.meter().flush();
    assertThat(metering.queries().events(id, EventFilter.all(), null, 100).items())
        .noneMatch(e -> e.event().meter().equals("files_uploaded"));
  }
}
