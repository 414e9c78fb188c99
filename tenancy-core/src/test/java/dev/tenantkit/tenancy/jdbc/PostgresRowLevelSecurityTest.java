package dev.tenantkit.tenancy.jdbc;

import static dev.tenantkit.tenancy.jdbc.Projects.as;
import static dev.tenantkit.tenancy.jdbc.Projects.insert;
import static dev.tenantkit.tenancy.jdbc.Projects.names;
import static dev.tenantkit.tenancy.jdbc.Projects.setting;
import static dev.tenantkit.tenancy.jdbc.Projects.unchecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.jdbc.Projects.SqlFailure;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Row-level security on a real PostgreSQL, connected as an ordinary role: a host table protected
 * with {@code tenantkit_enable_rls} and reached through {@link TenantAwareDataSource}, and the
 * library's own API key table.
 */
class PostgresRowLevelSecurityTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final TestDatabases databases = new TestDatabases();
  private DataSource db;
  private JdbcTenancyStore store;
  private TenantAwareDataSource app;

  @BeforeEach
  void setUp() throws SQLException {
    db = databases.create(Dialect.POSTGRESQL);
    store = JdbcTenancyStore.builder(db).build();
    app = TenantAwareDataSource.wrap(db);
    Projects.create(db, app);
  }

  @AfterEach
  void close() {
    databases.close();
  }

  @Test
  void theAppRoleIsOrdinaryAndOwnsItsTables() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select r.rolsuper, r.rolbypassrls, t.tableowner = current_user"
                    + " from pg_roles r, pg_tables t"
                    + " where r.rolname = current_user and t.tablename = 'projects'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getBoolean(1)).as("superuser").isFalse();
      assertThat(rs.getBoolean(2)).as("bypassrls").isFalse();
      assertThat(rs.getBoolean(3)).as("owner").isTrue();
    }
  }

  @Test
  void inAutoCommitASelectWithoutWhereSeesOnlyTheBoundTenant() {
    assertThat(as("a", () -> names(app))).containsExactly("a-one", "a-two");
    assertThat(as("b", () -> names(app))).containsExactly("b-one");
  }

  @Test
  void inAutoCommitOneConnectionFollowsTheBoundTenant() throws SQLException {
    try (Connection c = app.getConnection()) {
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      assertThat(as("b", () -> names(c))).containsExactly("b-one");
      assertThat(names(c)).isEmpty();
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
    }
  }

  @Test
  void withNoTenantBoundNothingIsVisible() throws SQLException {
    assertThat(names(app)).isEmpty();
    try (Connection raw = db.getConnection()) {
      assertThat(names(raw)).isEmpty();
    }
  }

  @Test
  void aTenantCannotWriteAnotherTenantsRows() {
    assertThatThrownBy(() -> Projects.insertAs(app, "a", 9, "b-forged", "b"))
        .isInstanceOf(SqlFailure.class)
        .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("42501"));
    assertThat(
            as("a", () -> update(app, "update projects set name = 'hacked' where tenant_id = 'b'")))
        .isZero();
    assertThat(as("a", () -> update(app, "delete from projects where tenant_id = 'b'"))).isZero();
    assertThat(as("a", () -> update(app, "update projects set tenant_id = 'b' where id = 1")))
        .isEqualTo(-1);
    assertThat(as("b", () -> names(app))).containsExactly("b-one");
    assertThat(as("a", () -> names(app))).containsExactly("a-one", "a-two");
  }

  @Test
  void inATransactionEachTransactionCarriesTheTenantBoundWhenItRuns() throws SQLException {
    try (Connection c = app.getConnection()) {
      c.setAutoCommit(false);
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      assertThat(as("a", () -> setting(c))).isEqualTo("a");
      c.commit();
      // The transaction-local setting ended with the commit; the same tenant is set again.
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      c.rollback();
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      c.commit();
      assertThat(as("b", () -> names(c))).containsExactly("b-one");
      // A transaction belongs to one tenant: a statement for another one, or none, is refused.
      assertThatThrownBy(() -> as("a", () -> names(c)))
          .isInstanceOf(SqlFailure.class)
          .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("25000"))
          .hasMessageContaining("tenant 'b'")
          .hasMessageContaining("tenant 'a'");
      assertThatThrownBy(() -> unchecked(() -> names(c)))
          .isInstanceOf(SqlFailure.class)
          .hasMessageContaining("no tenant");
      c.rollback();
      assertThat(names(c)).isEmpty();
      c.rollback();
      assertThatThrownBy(() -> as("b", () -> insert(c, "a", 7, "a-forged")))
          .isInstanceOf(SqlFailure.class)
          .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("42501"));
      c.rollback();
      as("b", () -> insert(c, "b", 7, "b-seven"));
      c.commit();
      c.setAutoCommit(true);
      assertThat(as("b", () -> names(c))).containsExactly("b-one", "b-seven");
      assertThat(names(c)).isEmpty();
    }
  }

  @Test
  void aPooledConnectionNeverHandsItsTenantToTheNextUser() throws SQLException {
    HikariDataSource pool = databases.pool(db, 1);
    TenantAwareDataSource pooledApp = TenantAwareDataSource.wrap(pool);
    int pid = as("a", () -> backendPid(pooledApp));

    // Auto-commit use sets the tenant per statement, in a transaction, never for the session.
    assertThat(as("a", () -> names(pooledApp))).containsExactly("a-one", "a-two");
    assertRawPooledConnectionIsClean(pool, pid);
    assertThat(names(pooledApp)).isEmpty();
    assertThat(as("b", () -> names(pooledApp))).containsExactly("b-one");
    assertRawPooledConnectionIsClean(pool, pid);

    // A transaction committed, and one left open when the connection is returned.
    as(
        "a",
        () -> {
          try (Connection c = pooledApp.getConnection()) {
            c.setAutoCommit(false);
            assertThat(names(c)).containsExactly("a-one", "a-two");
            c.commit();
          }
          return null;
        });
    assertRawPooledConnectionIsClean(pool, pid);
    as(
        "a",
        () -> {
          try (Connection c = pooledApp.getConnection()) {
            names(c);
            c.setAutoCommit(false);
            assertThat(names(c)).containsExactly("a-one", "a-two");
          }
          return null;
        });
    assertRawPooledConnectionIsClean(pool, pid);
    assertThat(as("b", () -> names(pooledApp))).containsExactly("b-one");
  }

  @Test
  void theLibrarysApiKeyTableIsInvisibleWithoutATenantButTheStoreFindsKeys() throws SQLException {
    for (String t : List.of("a", "b")) {
      store.tenants().insert(tenant(t));
      store
          .apiKeys()
          .insert(
              new StoredApiKey(
                  new ApiKey("KEY" + t, TenantId.of(t), "ci", Set.of("*"), T0, null, null, null),
                  "ab".repeat(32)));
    }
    try (Connection raw = db.getConnection()) {
      assertThat(count(raw, "tenantkit_api_keys")).isZero();
      assertThat(count(raw, "tenantkit_tenants")).isEqualTo(2);
    }
    assertThat(store.apiKeys().list(TenantId.of("a")))
        .extracting(ApiKey::id)
        .containsExactly("KEYa");
    assertThat(store.apiKeys().find(TenantId.of("b"), "KEYb")).isPresent();
    assertThat(as("a", () -> countVia(app, "tenantkit_api_keys"))).isEqualTo(1);
    // The tenant filter of the store and the policy agree: another tenant's key id is not found.
    assertThat(store.apiKeys().find(TenantId.of("a"), "KEYb")).isEmpty();
    assertThat(store.apiKeys().deleteAll(TenantId.of("a"))).isEqualTo(1);
    assertThat(store.apiKeys().list(TenantId.of("b"))).hasSize(1);
  }

  @Test
  void theStoreScopesToTheTenantItNamesAlsoOverATenantAwareDataSource() {
    JdbcTenancyStore overApp = JdbcTenancyStore.builder(app).build();
    overApp.tenants().insert(tenant("a"));
    StoredApiKey key =
        new StoredApiKey(
            new ApiKey("KEYa", TenantId.of("a"), "ci", Set.of("*"), T0, null, null, null),
            "ab".repeat(32));
    // The tenant bound in the context is another one: the store's explicit tenant wins.
    TenantContext.run(TenantId.of("b"), () -> overApp.apiKeys().insert(key));
    assertThat(TenantContext.call(TenantId.of("b"), () -> overApp.apiKeys().list(TenantId.of("a"))))
        .containsExactly(key.key());
    assertThat(overApp.apiKeys().find(TenantId.of("a"), "KEYa")).contains(key);
    assertThat(store.apiKeys().find(TenantId.of("a"), "KEYa")).contains(key);
  }

  @Test
  void enableRlsIsIdempotentAndWorksForAnyColumnNameAndType() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("create table notes (org uuid not null, body text not null)");
      s.execute("select tenantkit_enable_rls('notes', 'org')");
      s.execute("select tenantkit_enable_rls('notes', 'org')");
      assertThat(count(c, "pg_policies where tablename = 'notes'")).isEqualTo(1);
      assertThatThrownBy(() -> s.execute("select tenantkit_enable_rls('notes')"))
          .hasMessageContaining("has no column tenant_id");
    }
    String org = "123e4567-e89b-12d3-a456-426614174000";
    as(org, () -> update(app, "insert into notes (org, body) values ('" + org + "', 'hello')"));
    assertThat(as(org, () -> countVia(app, "notes"))).isEqualTo(1);
    assertThat(as("123e4567-e89b-12d3-a456-000000000000", () -> countVia(app, "notes"))).isZero();
    assertThat(countVia(app, "notes")).isZero();
    // The setting is cast to the column's type: a tenant id that is no uuid is an error, not a
    // silent empty result.
    assertThatThrownBy(() -> as("a", () -> countVia(app, "notes")))
        .isInstanceOf(SqlFailure.class)
        .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("22P02"));
  }

  private static Tenant tenant(String id) {
    return new Tenant(
        TenantId.of(id),
        "Tenant " + id,
        "free",
        TenantStatus.ACTIVE,
        TenantSettings.defaults(),
        T0,
        T0,
        null,
        1);
  }

  private void assertRawPooledConnectionIsClean(HikariDataSource pool, int pid)
      throws SQLException {
    try (Connection raw = pool.getConnection()) {
      assertThat(backendPid(raw)).as("the one pooled connection").isEqualTo(pid);
      assertThat(setting(raw)).isEmpty();
      assertThat(names(raw)).isEmpty();
    }
  }

  /** Runs an update; -1 if the database refused it for breaking the policy's check. */
  private static int update(DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement s = c.createStatement()) {
      return s.executeUpdate(sql);
    } catch (SQLException e) {
      if ("42501".equals(e.getSQLState())) {
        return -1;
      }
      throw e;
    }
  }

  private static int backendPid(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return backendPid(c);
    }
  }

  private static int backendPid(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int count(Connection c, String from) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + from)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static int countVia(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return count(c, table);
    }
  }
}
