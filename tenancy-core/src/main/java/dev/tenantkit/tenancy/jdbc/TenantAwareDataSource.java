package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.TenantContext;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose connections carry the tenant bound in {@link TenantContext} to
 * PostgreSQL, so the row-level security policies created by {@code tenantkit_enable_rls} apply to
 * the host app's own queries, including those that forget their {@code where tenant_id = ?}.
 *
 * <pre>{@code
 * DataSource appDataSource = TenantAwareDataSource.wrap(hikariDataSource);
 * TenantContext.run(TenantId.of("acme"), () -> repository.findAll()); // only acme's rows
 * }</pre>
 *
 * <p>A statement runs under the tenant bound in {@link TenantContext} when it is <em>executed</em>
 * (not when it was created), or under {@code ''}, which matches no row, when none is bound. The
 * connection sets {@code tenantkit.tenant_id} with {@code set_config(..., true)} in the same
 * transaction as the statement, never for the session, so the binding holds behind a
 * transaction-mode pooler such as PgBouncer and a pooled connection never hands a tenant to its
 * next user:
 *
 * <ul>
 *   <li>in a transaction (auto-commit off) the first statement fixes the transaction's tenant and
 *       sets it; a later statement of the same transaction executed under another tenant, or under
 *       none, is refused with an {@link java.sql.SQLException} (SQLState {@code 25000}) and the
 *       caller rolls back. {@code commit}, {@code rollback} and {@code setAutoCommit} end the
 *       transaction and with it its tenant;
 *   <li>in auto-commit mode, with a tenant bound, each execution runs in a transaction of its own:
 *       {@code set_config}, the statement, {@code commit} (two more round trips than the statement
 *       alone; use transactions where that matters). A result set is read whole, as the driver does
 *       in auto-commit mode, even when a fetch size is set. With no tenant bound the statement runs
 *       as is and sees no tenant's rows, since nothing sets the value for the session; so
 *       statements PostgreSQL refuses inside a transaction ({@code VACUUM}, {@code CREATE INDEX
 *       CONCURRENTLY}) work when no tenant is bound.
 * </ul>
 *
 * A statement's {@code getConnection()} returns the tenant-aware connection. The driver's objects
 * reached by {@code unwrap}, {@code ResultSet.getStatement()} or {@code
 * DatabaseMetaData.getConnection()} are not tenant-aware: statements run through them see no
 * tenant's rows. On H2, which has no row-level security, connections are passed through unchanged.
 *
 * <p>Row-level security does not apply to superusers or roles with {@code BYPASSRLS}: the app must
 * connect as an ordinary role. Thread-safe; each connection it hands out is, like any JDBC
 * connection, for one thread at a time.
 */
public final class TenantAwareDataSource implements DataSource {
  private final DataSource delegate;
  private volatile Boolean postgres;

  private TenantAwareDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /**
   * Wraps {@code dataSource}; a data source that is already tenant-aware is returned as is.
   *
   * @param dataSource usually a connection pool
   * @return the tenant-aware data source
   */
  public static TenantAwareDataSource wrap(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    if (dataSource instanceof TenantAwareDataSource t) {
      return t;
    }
    return new TenantAwareDataSource(dataSource);
  }

  /**
   * A connection from the wrapped data source that carries the bound tenant on PostgreSQL.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public Connection getConnection() throws SQLException {
    return tenantAware(delegate.getConnection());
  }

  /**
   * Like {@link #getConnection()} with explicit credentials.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return tenantAware(delegate.getConnection(username, password));
  }

  private Connection tenantAware(Connection connection) throws SQLException {
    Boolean pg = postgres;
    if (pg == null) {
      try {
        pg =
            Dialect.ofProductName(connection.getMetaData().getDatabaseProductName())
                == Dialect.POSTGRESQL;
      } catch (IllegalArgumentException e) {
        // Another database has no tenantkit.tenant_id to set; pass its connections through.
        pg = false;
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      postgres = pg;
    }
    return pg ? TenantConnection.wrap(connection) : connection;
  }

  /** The data source this one wraps. */
  public DataSource delegate() {
    return delegate;
  }

  /**
   * This data source if {@code iface} is one of its types, otherwise the wrapped one's answer.
   *
   * @throws SQLException if neither is an instance of {@code iface}
   */
  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    return delegate.unwrap(iface);
  }

  /**
   * Whether {@link #unwrap} would succeed for {@code iface}.
   *
   * @throws SQLException if the wrapped data source fails to answer
   */
  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || delegate.isWrapperFor(iface);
  }

  /**
   * The wrapped data source's log writer.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  /**
   * Sets the wrapped data source's log writer.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  /**
   * Sets the wrapped data source's login timeout.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  /**
   * The wrapped data source's login timeout.
   *
   * @throws SQLException if the wrapped data source fails
   */
  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  /**
   * The wrapped data source's parent logger.
   *
   * @throws SQLFeatureNotSupportedException if the wrapped data source has none
   */
  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }
}
