package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The files API on PostgreSQL (embedded, connected as a role that is neither superuser nor
 * BYPASSRLS, through {@code spring.datasource.url}): the app's migration puts {@code sample_files}
 * under row-level security, so a statement without a tenant bound sees no row at all.
 */
@SpringBootTest(
    classes = {SampleApplication.class, StillClock.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=postgres-files-test-operator-key-0123456789")
class PostgresFilesTest {
  private static final PGSimpleDataSource DB = (PGSimpleDataSource) PostgresFixture.newDatabase();

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
    registry.add("spring.datasource.url", DB::getUrl);
    registry.add("spring.datasource.username", () -> PostgresFixture.APP_ROLE);
  }

  @Test
  void filesAreKeptPerTenantUnderRowLevelSecurity() throws SQLException {
    Http http = new Http(port);
    Callers callers = new Callers(tenancy, quotas);
    Caller acme = callers.tenant("free");
    Caller globex = callers.tenant("starter");
    byte[] content = "on postgres".getBytes(StandardCharsets.UTF_8);

    String id =
        http.upload(
                "/api/files",
                "file",
                "pg.txt",
                "text/plain",
                content,
                "Authorization",
                acme.bearer())
            .assertStatus(201)
            .json()
            .get("id")
            .asText();
    assertThat(http.get("/api/files/" + id, "Authorization", acme.bearer()).bytes())
        .isEqualTo(content);
    http.get("/api/files/" + id, "Authorization", globex.bearer()).assertProblem(404, "not-found");
    assertThat(http.get("/api/files", "Authorization", globex.bearer()).json().get("items"))
        .isEmpty();

    try (Connection c = DB.getConnection()) {
      assertThat(
              count(
                  c,
                  "select count(*) from pg_class where relname = 'sample_files'"
                      + " and relrowsecurity and relforcerowsecurity"))
          .isEqualTo(1);
      // The app's role, no tenant bound: the policy shows nothing, even without a filter.
      assertThat(count(c, "select count(*) from sample_files")).isZero();
      setTenant(c, globex.tenant().value());
      assertThat(count(c, "select count(*) from sample_files")).isZero();
      setTenant(c, acme.tenant().value());
      assertThat(count(c, "select count(*) from sample_files")).isEqualTo(1);
    }

    http.send("DELETE", "/api/files/" + id, null, "Authorization", globex.bearer())
        .assertProblem(404, "not-found");
    http.send("DELETE", "/api/files/" + id, null, "Authorization", acme.bearer()).assertStatus(204);
    assertThat(http.get("/api/files", "Authorization", acme.bearer()).json().get("items"))
        .isEmpty();
  }

  private static void setTenant(Connection c, String tenant) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select set_config('tenantkit.tenant_id', ?, false)")) {
      s.setString(1, tenant);
      s.execute();
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
