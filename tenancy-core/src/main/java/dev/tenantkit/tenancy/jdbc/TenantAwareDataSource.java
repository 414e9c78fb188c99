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
 * <p>Before a statement is created ({@code createStatement}, {@code prepareStatement}, {@code
 * prepareCall}) the connection makes sure {@code tenantkit.tenant_id} holds the tenant bound at
 * that moment, or {@code ''} (which matches no row) when none is bound:
 *
 * <ul>
 *   <li>in a transaction (auto-commit off) it runs {@code set_config('tenantkit.tenant_id', ?,
 *       true)} before the first statement of each transaction, and again if the bound tenant
 *       changed; the setting ends with the transaction, so {@code commit}, {@code rollback} and
 *       {@code setAutoCommit} re-arm it;
 *   <li>in auto-commit mode it sets the value for the session ({@code false}) whenever it differs
 *       from the bound tenant, and resets it to {@code ''} when the connection is closed, so a
 *       pooled connection never hands a tenant to its next user.
 * </ul>
 *
 * A statement keeps the tenant that was bound when it was created. On H2, which has no row-level
 * security, connections are passed through unchanged.
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
