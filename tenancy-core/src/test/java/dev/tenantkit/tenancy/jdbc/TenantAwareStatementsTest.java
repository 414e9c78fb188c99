package dev.tenantkit.tenancy.jdbc;

import static dev.tenantkit.tenancy.jdbc.Projects.as;
import static dev.tenantkit.tenancy.jdbc.Projects.names;
import static dev.tenantkit.tenancy.jdbc.Projects.setting;
import static dev.tenantkit.tenancy.jdbc.Projects.unchecked;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.jdbc.Projects.SqlFailure;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a statement of a {@link TenantAwareDataSource} connection sees on a real PostgreSQL: the
 * tenant bound when it is executed, whenever and under whichever tenant it was prepared, and never
 * a value left in the session.
 */
class TenantAwareStatementsTest {
  private static final String SELECT = "select name from projects order by tenant_id, id";

  private final TestDatabases databases = new TestDatabases();
  private DataSource db;
  private TenantAwareDataSource app;

  @BeforeEach
  void setUp() throws SQLException {
    db = databases.create(Dialect.POSTGRESQL);
    JdbcTenancyStore.builder(db).build();
    app = TenantAwareDataSource.wrap(db);
    Projects.create(db, app);
  }

  @AfterEach
  void close() {
    databases.close();
  }

  @Test
  void aPreparedStatementRunsUnderTheTenantBoundWhenItIsExecuted() throws SQLException {
    try (Connection c = app.getConnection()) {
      PreparedStatement s1 = as("a", () -> c.prepareStatement(SELECT));
      PreparedStatement s2 = as("b", () -> c.prepareStatement(SELECT));
      assertThat(as("a", () -> names(s1.executeQuery()))).containsExactly("a-one", "a-two");
      assertThat(as("b", () -> names(s2.executeQuery()))).containsExactly("b-one");
      // Reused across tenants, as a statement cache would: each execution follows the binding.
      assertThat(as("b", () -> names(s1.executeQuery()))).containsExactly("b-one");
      assertThat(as("a", () -> names(s2.executeQuery()))).containsExactly("a-one", "a-two");
      assertThat(names(s1.executeQuery())).isEmpty();
      // Many executions switching tenants: the driver prepares server-side after a few uses.
      for (int i = 0; i < 12; i++) {
        String tenant = i % 2 == 0 ? "a" : "b";
        assertThat(as(tenant, () -> names(s1.executeQuery())))
            .allMatch(name -> name.startsWith(tenant + "-"))
            .isNotEmpty();
      }
      s1.close();
      s2.close();
    }
  }

  @Test
  void inAutoCommitNoValueIsLeftInTheSession() throws SQLException {
    try (Connection c = app.getConnection()) {
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      assertThat(c.getAutoCommit()).isTrue();
      Connection raw = c.unwrap(Connection.class);
      assertThat(setting(raw)).isEmpty();
      assertThat(names(raw)).isEmpty();
    }
  }

  @Test
  void everyWayOfExecutingCarriesTheTenant() throws SQLException {
    try (Connection c = app.getConnection()) {
      as(
          "a",
          () -> {
            try (Statement s = c.createStatement()) {
              assertThat(s.execute(SELECT)).isTrue();
              assertThat(names(s.getResultSet())).containsExactly("a-one", "a-two");
              assertThat(s.executeUpdate("update projects set name = name")).isEqualTo(2);
              assertThat(s.executeLargeUpdate("update projects set name = name")).isEqualTo(2L);
              s.addBatch("insert into projects values ('a', 3, 'a-three')");
              s.addBatch("update projects set name = name");
              assertThat(s.executeBatch()).containsExactly(1, 3);
              assertThat(s.getConnection()).isSameAs(c);
            }
            try (CallableStatement call =
                c.prepareCall("{ ? = call current_setting('tenantkit.tenant_id') }")) {
              call.registerOutParameter(1, java.sql.Types.VARCHAR);
              call.execute();
              assertThat(call.getString(1)).isEqualTo("a");
            }
            return null;
          });
    }
    assertThat(as("b", () -> names(app))).containsExactly("b-one");
  }

  @Test
  void inAutoCommitAFetchSizeStillReturnsEveryRow() throws SQLException {
    try (Connection c = app.getConnection();
        Statement s = c.createStatement()) {
      s.setFetchSize(1);
      assertThat(as("a", () -> names(s.executeQuery(SELECT)))).containsExactly("a-one", "a-two");
      assertThat(s.getFetchSize()).isEqualTo(1);
    }
  }

  @Test
  void inAutoCommitAFailedStatementIsRolledBackAndAutoCommitStays() throws SQLException {
    try (Connection c = app.getConnection()) {
      assertThatThrownBy(() -> as("a", () -> Projects.insert(c, "b", 5, "b-forged")))
          .isInstanceOf(SqlFailure.class)
          .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("42501"));
      assertThat(c.getAutoCommit()).isTrue();
      assertThat(as("a", () -> Projects.insert(c, "a", 5, "a-five"))).isEqualTo(1);
    }
    assertThat(as("a", () -> names(app))).containsExactly("a-one", "a-two", "a-five");
    assertThat(as("b", () -> names(app))).containsExactly("b-one");
  }

  @Test
  void aTransactionKeepsItsTenantAcrossASavepointRollback() throws SQLException {
    try (Connection c = app.getConnection()) {
      c.setAutoCommit(false);
      as(
          "a",
          () -> {
            var savepoint = c.setSavepoint();
            assertThat(Projects.insert(c, "a", 6, "a-six")).isEqualTo(1);
            c.rollback(savepoint);
            assertThat(names(c)).containsExactly("a-one", "a-two");
            return null;
          });
      assertThatThrownBy(() -> as("b", () -> names(c))).isInstanceOf(SqlFailure.class);
      c.rollback();
      // A new transaction may belong to another tenant; no tenant at all sees nothing.
      assertThat(as("b", () -> names(c))).containsExactly("b-one");
      c.commit();
      assertThat(unchecked(() -> names(c))).isEmpty();
      c.commit();
    }
  }

  @Test
  void settingAutoCommitOffAgainKeepsTheTransactionAndItsTenant() throws SQLException {
    try (Connection c = app.getConnection()) {
      c.setAutoCommit(false);
      assertThat(as("a", () -> names(c))).containsExactly("a-one", "a-two");
      // A no-op in JDBC: the transaction goes on, so it still belongs to tenant a.
      c.setAutoCommit(false);
      assertThatThrownBy(() -> as("b", () -> names(c)))
          .isInstanceOf(SqlFailure.class)
          .satisfies(e -> assertThat(((SqlFailure) e).sqlState()).isEqualTo("25000"));
      c.rollback();
      c.setAutoCommit(true);
      c.setAutoCommit(true);
      assertThat(as("b", () -> names(c))).containsExactly("b-one");
    }
  }

  @Test
  void withNoTenantBoundAutoCommitStatementsRunOutsideATransactionAndSeeNoRows()
      throws SQLException {
    try (Connection c = app.getConnection();
        Statement s = c.createStatement()) {
      // PostgreSQL refuses both inside a transaction block (25001).
      s.execute("vacuum projects");
      s.execute("create index concurrently projects_name on projects (tenant_id, name)");
      assertThat(names(c)).isEmpty();
      assertThat(setting(c)).isEmpty();
    }
  }
}
