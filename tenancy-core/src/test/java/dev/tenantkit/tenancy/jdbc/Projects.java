package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * A host app's table under row-level security for the PostgreSQL isolation tests: {@code projects}
 * with rows {@code a-one}, {@code a-two} of tenant {@code a} and {@code b-one} of tenant {@code b},
 * and the reads and writes the tests make through it.
 */
final class Projects {
  static final String SETTING = "select coalesce(current_setting('tenantkit.tenant_id', true), '')";

  private Projects() {}

  /**
   * Creates the table on {@code db}, enables row-level security on it and inserts the three rows
   * through {@code app}, each under its own tenant. Needs tenancy's migrations applied.
   */
  static void create(DataSource db, DataSource app) throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create table projects (tenant_id varchar(64) not null, id integer not null,"
              + " name text not null, primary key (tenant_id, id))");
      s.execute("select tenantkit_enable_rls('projects')");
    }
    insertAs(app, "a", 1, "a-one", "a");
    insertAs(app, "a", 2, "a-two", "a");
    insertAs(app, "b", 1, "b-one", "b");
  }

  /** Inserts a row of {@code rowTenant} through {@code app} with {@code boundTenant} bound. */
  static void insertAs(DataSource app, String boundTenant, int id, String name, String rowTenant) {
    as(
        boundTenant,
        () -> {
          try (Connection c = app.getConnection()) {
            return insert(c, rowTenant, id, name);
          }
        });
  }

  static int insert(Connection c, String tenant, int id, String name) throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement("insert into projects (tenant_id, id, name) values (?, ?, ?)")) {
      p.setString(1, tenant);
      p.setInt(2, id);
      p.setString(3, name);
      return p.executeUpdate();
    }
  }

  static List<String> names(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      return names(c);
    }
  }

  static List<String> names(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select name from projects order by tenant_id, id")) {
      return names(rs);
    }
  }

  static List<String> names(ResultSet rs) throws SQLException {
    List<String> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The value of {@code tenantkit.tenant_id} that a statement on {@code c} sees. */
  static String setting(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(SETTING)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /** Work that may fail with an {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Runs {@code work} with {@code tenant} bound in {@link TenantContext}. */
  static <T> T as(String tenant, SqlWork<T> work) {
    return TenantContext.call(TenantId.of(tenant), () -> unchecked(work));
  }

  /** Runs {@code work}, carrying an {@link SQLException} out as a {@link SqlFailure}. */
  static <T> T unchecked(SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new SqlFailure(e);
    }
  }

  /** Carries an {@link SQLException} out of a {@link TenantContext} scope. */
  static final class SqlFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlFailure(SQLException cause) {
      super(cause);
    }

    String sqlState() {
      return ((SQLException) getCause()).getSQLState();
    }
  }
}
