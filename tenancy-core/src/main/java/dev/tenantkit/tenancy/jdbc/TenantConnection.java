package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The connection handed out by {@link TenantAwareDataSource} on PostgreSQL: a proxy that sets
 * {@code tenantkit.tenant_id} to the bound tenant before statements are created. Not thread-safe,
 * like the connection it wraps.
 */
final class TenantConnection implements InvocationHandler {
  private static final String SET = "select set_config('" + JdbcStorage.TENANT_SETTING + "', ?, ?)";

  private final Connection delegate;
  private boolean autoCommit;

  /** The value set for the current transaction, or null when none is set in it yet. */
  private String transactionValue;

  /** The value set for the session, or null when unknown (never set through this proxy). */
  private String sessionValue;

  private TenantConnection(Connection delegate) throws SQLException {
    this.delegate = delegate;
    this.autoCommit = delegate.getAutoCommit();
  }

  static Connection wrap(Connection delegate) throws SQLException {
    TenantConnection handler;
    try {
      handler = new TenantConnection(delegate);
    } catch (SQLException | RuntimeException e) {
      delegate.close();
      throw e;
    }
    return (Connection)
        Proxy.newProxyInstance(
            TenantConnection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "createStatement", "prepareStatement", "prepareCall" -> applyTenant();
      case "close" -> {
        close();
        return null;
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "toString" -> {
        return "TenantConnection[" + delegate + "]";
      }
      default -> {}
    }
    Object result;
    try {
      result = method.invoke(delegate, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
    switch (method.getName()) {
      // A rollback to a savepoint may undo a set_config made after the savepoint, so it re-arms
      // too.
      case "commit", "rollback" -> transactionValue = null;
      case "setAutoCommit" -> {
        autoCommit = (Boolean) args[0];
        transactionValue = null;
      }
      default -> {}
    }
    return result;
  }

  private void applyTenant() throws SQLException {
    if (delegate.isClosed()) {
      return;
    }
    String tenant = TenantContext.currentTenant().map(TenantId::value).orElse("");
    if (autoCommit) {
      if (!tenant.equals(sessionValue)) {
        set(tenant, false);
        sessionValue = tenant;
      }
    } else if (!tenant.equals(transactionValue)) {
      set(tenant, true);
      transactionValue = tenant;
    }
  }

  private void close() throws SQLException {
    if (delegate.isClosed()) {
      return;
    }
    try {
      // A session-level value would outlive this use of a pooled connection.
      if (sessionValue != null && !sessionValue.isEmpty()) {
        if (!autoCommit) {
          delegate.rollback();
          delegate.setAutoCommit(true);
        }
        set("", false);
      }
    } finally {
      delegate.close();
    }
  }

  private void set(String value, boolean local) throws SQLException {
    try (PreparedStatement s = delegate.prepareStatement(SET)) {
      s.setString(1, value);
      s.setBoolean(2, local);
      s.executeQuery().close();
    }
  }
}
