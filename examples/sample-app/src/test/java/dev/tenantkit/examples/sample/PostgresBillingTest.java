package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.adapters.spring.TenantkitBillingAutoConfiguration;
import dev.tenantkit.billing.Billing;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Billing in the sample app on PostgreSQL (embedded, connected as a role that is neither superuser
 * nor BYPASSRLS): a run over HTTP creates one invoice per tenant, a second creates none, and the
 * invoices are under row-level security like every tenant table.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class, PostgresBillingTest.RunsInline.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=" + PostgresBillingTest.OPERATOR_KEY)
class PostgresBillingTest {
  static final String OPERATOR_KEY = "postgres-billing-test-operator-key-0123456789";
  private static final PGSimpleDataSource DB = (PGSimpleDataSource) PostgresFixture.newDatabase();

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired FakeClock clock;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Billing billing;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
    registry.add("spring.datasource.url", DB::getUrl);
    registry.add("spring.datasource.username", () -> PostgresFixture.APP_ROLE);
  }

  /** Billing runs on the request's thread. */
  static class RunsInline {
    @Bean(TenantkitBillingAutoConfiguration.RUN_EXECUTOR)
    Executor runsInline() {
      return Runnable::run;
    }
  }

  @Test
  void aRunCreatesOneInvoicePerTenantOnce() throws SQLException {
    Http http = new Http(port);
    Callers callers = new Callers(tenancy, quotas);
    advanceTo("2026-03-01T00:00:00Z");
    Caller a = callers.tenant("starter");
    Caller b = callers.tenant("free");
    Caller c = callers.tenant("starter");

    advanceTo("2026-04-01T00:10:00Z");
    String auth = "Bearer " + OPERATOR_KEY;
    String id =
        http.send("POST", "/admin/billing/runs?period=2026-03", null, "Authorization", auth)
            .assertStatus(202)
            .json()
            .get("id")
            .asText();
    // The three tenants and the demo tenants (acme, globex) created at startup.
    assertThat(
            http.get("/admin/billing/runs/" + id, "Authorization", auth)
                .json()
                .get("invoicesCreated")
                .asLong())
        .isEqualTo(5);
    String again =
        http.send("POST", "/admin/billing/runs?period=2026-03", null, "Authorization", auth)
            .assertStatus(202)
            .json()
            .get("id")
            .asText();
    assertThat(
            http.get("/admin/billing/runs/" + again, "Authorization", auth)
                .json()
                .get("invoicesCreated")
                .asLong())
        .isZero();
    for (String demo : new String[] {"acme", "globex"}) {
      assertThat(billing.invoices(TenantId.of(demo), null, 10).items()).hasSize(1);
    }
    for (Caller caller : new Caller[] {a, b, c}) {
      assertThat(billing.invoices(caller.tenant(), null, 10).items()).hasSize(1);
      assertThat(
              http.get("/api/invoices", "Authorization", caller.bearer())
                  .assertStatus(200)
                  .json()
                  .get("items"))
          .hasSize(1);
    }

    try (Connection conn = DB.getConnection()) {
      // The app's role, no tenant bound: row-level security shows no invoice at all.
      assertThat(count(conn, "select count(*) from tenantkit_billing_invoices")).isZero();
    }
  }

  private void advanceTo(String instant) {
    clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
