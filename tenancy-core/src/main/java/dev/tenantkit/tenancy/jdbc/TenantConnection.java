package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The connection handed out by {@link TenantAwareDataSource} on PostgreSQL: a proxy whose
 * statements run under the tenant bound when they are executed, with {@code tenantkit.tenant_id}
 * set by {@code set_config(..., true)} in the same transaction as the statement. A session-level
 * value is never set, because a transaction-mode pooler (PgBouncer) may run the next statement on
 * another server connection than the one that holds it. Not thread-safe, like the connection it
 * wraps.
 */
final class TenantConnection implements InvocationHandler {
  private static final String SET =
      "select set_config('" + JdbcStorage.TENANT_SETTING + "', ?, true)";

  /** SQLState 25000, invalid transaction state: the transaction belongs to another tenant. */
  private static final String OTHER_TENANT = "25000";

  private final Connection delegate;
  private Connection proxy;

  /**
   * The tenant ({@code ""} for none) of the transaction in progress, fixed by its first statement;
   * null when no statement ran in it yet. Used with auto-commit off only.
   */
  private String transactionTenant;

  /** Whether {@code tenantkit.tenant_id} holds {@link #transactionTenant} in this transaction. */
  private boolean applied;

  private TenantConnection(Connection delegate) {
    this.delegate = delegate;
  }

  static Connection wrap(Connection delegate) {
    TenantConnection handler = new TenantConnection(delegate);
    handler.proxy =
        (Connection)
            Proxy.newProxyInstance(
                TenantConnection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                handler);
    return handler.proxy;
  }

  @Override
  public Object invoke(Object self, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "equals" -> {
        return self == args[0];
      }
      case "hashCode" -> {
        return System.identityHashCode(self);
      }
      case "toString" -> {
        return "TenantConnection[" + delegate + "]";
      }
      default -> {}
    }
    // setAutoCommit with the mode the connection already has is a no-op in JDBC: the transaction,
    // and with it its tenant, goes on.
    boolean modeChanges =
        method.getName().equals("setAutoCommit") && delegate.getAutoCommit() != (Boolean) args[0];
    Object result = call(delegate, method, args);
    switch (method.getName()) {
      case "createStatement" -> {
        return statement(Statement.class, (Statement) result);
      }
      case "prepareStatement" -> {
        return statement(PreparedStatement.class, (Statement) result);
      }
      case "prepareCall" -> {
        return statement(CallableStatement.class, (Statement) result);
      }
      case "commit" -> endTransaction();
      case "setAutoCommit" -> {
        if (modeChanges) {
          endTransaction();
        }
      }
      case "rollback" -> {
        if (args == null || args.length == 0) {
          endTransaction();
        } else {
          // Rolling back to a savepoint may undo a set_config made after it; the transaction
          // keeps its tenant.
          applied = false;
        }
      }
      default -> {}
    }
    return result;
  }

  private void endTransaction() {
    transactionTenant = null;
    applied = false;
  }

  private Statement statement(Class<? extends Statement> type, Statement raw) {
    return type.cast(
        Proxy.newProxyInstance(
            TenantConnection.class.getClassLoader(),
            new Class<?>[] {type},
            new TenantStatement(raw)));
  }

  /**
   * Runs one execution of {@code raw} under the bound tenant: in auto-commit mode inside a
   * transaction of its own that first sets the tenant; otherwise in the caller's transaction, which
   * must keep one tenant from its first statement to its end.
   */
  private Object execute(Statement raw, Method method, Object[] args) throws Throwable {
    String tenant = TenantContext.currentTenant().map(TenantId::value).orElse("");
    if (delegate.getAutoCommit()) {
      // With no tenant bound the statement runs as is: nothing ever sets the value for the
      // session, so it sees no tenant's rows, and statements PostgreSQL refuses in a transaction
      // (VACUUM, CREATE INDEX CONCURRENTLY, a migration tool's) still work.
      return tenant.isEmpty() ? call(raw, method, args) : executeAlone(raw, tenant, method, args);
    }
    if (transactionTenant == null) {
      transactionTenant = tenant;
    } else if (!transactionTenant.equals(tenant)) {
      throw new SQLException(
          "this transaction runs for "
              + describe(transactionTenant)
              + " and a statement was executed for "
              + describe(tenant)
              + "; a transaction belongs to one tenant: commit or roll back before switching",
          OTHER_TENANT);
    }
    if (!applied) {
      set(tenant);
      applied = true;
    }
    return call(raw, method, args);
  }

  private Object executeAlone(Statement raw, String tenant, Method method, Object[] args)
      throws Throwable {
    // With auto-commit off, the driver would read a result with a fetch size through a cursor,
    // which the commit below closes; in auto-commit mode it reads every row at once anyway.
    int fetchSize = raw.getFetchSize();
    delegate.setAutoCommit(false);
    Object result;
    try {
      if (fetchSize != 0) {
        raw.setFetchSize(0);
      }
      set(tenant);
      result = call(raw, method, args);
      delegate.commit();
    } catch (Throwable failure) {
      try {
        delegate.rollback();
      } catch (SQLException e) {
        failure.addSuppressed(e);
      }
      restore(raw, fetchSize, failure);
      throw failure;
    }
    restore(raw, fetchSize, null);
    return result;
  }

  /**
   * Puts the statement's fetch size and the connection's auto-commit back; a failure to do so is
   * added to the statement's own failure, if there was one, rather than hiding it.
   */
  private void restore(Statement raw, int fetchSize, Throwable failure) throws SQLException {
    try {
      if (fetchSize != 0 && !raw.isClosed()) {
        raw.setFetchSize(fetchSize);
      }
      delegate.setAutoCommit(true);
    } catch (SQLException e) {
      if (failure == null) {
        throw e;
      }
      failure.addSuppressed(e);
    }
  }

  private void set(String tenant) throws SQLException {
    try (PreparedStatement s = delegate.prepareStatement(SET)) {
      s.setString(1, tenant);
      s.executeQuery().close();
    }
  }

  private static String describe(String tenant) {
    return tenant.isEmpty() ? "no tenant" : "tenant '" + tenant + "'";
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A statement of this connection: its executions go through {@link #execute}. */
  private final class TenantStatement implements InvocationHandler {
    private final Statement raw;

    TenantStatement(Statement raw) {
      this.raw = raw;
    }

    @Override
    public Object invoke(Object self, Method method, Object[] args) throws Throwable {
      return switch (method.getName()) {
        case "execute",
            "executeQuery",
            "executeUpdate",
            "executeLargeUpdate",
            "executeBatch",
            "executeLargeBatch" ->
            TenantConnection.this.execute(raw, method, args);
        case "getConnection" -> proxy;
        case "equals" -> self == args[0];
        case "hashCode" -> System.identityHashCode(self);
        case "toString" -> "TenantStatement[" + raw + "]";
        default -> call(raw, method, args);
      };
    }
  }
}
