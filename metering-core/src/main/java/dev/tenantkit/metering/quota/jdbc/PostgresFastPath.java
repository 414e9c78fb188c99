package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The admitting case of a quota decision on PostgreSQL in one round trip: the tenant setting and
 * one conditional {@code UPDATE ... RETURNING} sent together as one prepared statement in
 * autocommit, which PostgreSQL runs as one implicit transaction, so the transaction-local setting
 * covers the update and row-level security applies as in {@link JdbcStorage#inTenantTransaction}.
 * The update changes the row only if the limit's condition holds and the tenant's override is the
 * one the caller expects.
 *
 * <p>Returns the new value when the change was made, or -1 when it was not (a rejection, a changed
 * override, a row not created yet, or a connection not in autocommit); the caller then decides in a
 * transaction, which also tells those cases apart and creates a missing row. Thread-safe.
 */
final class PostgresFastPath {
  private static final String SET_TENANT =
      "select set_config('" + JdbcStorage.TENANT_SETTING + "', ?, true);\n";
  private static final String OVERRIDE_IS =
      "coalesce((select amount from tenantkit_quota_overrides"
          + " where tenant_id = ? and limit_name = ?), -1) = ?";

  private static final String ADD =
      SET_TENANT
          + "update tenantkit_quota_counters set used = used + ?"
          + " where tenant_id = ? and limit_name = ? and period_start_ms = ? and used <= ? and "
          + OVERRIDE_IS
          + " returning used";

  private static final String TAKE =
      SET_TENANT
          + "update tenantkit_quota_buckets set tat_ns = greatest(tat_ns, ?) + ?"
          + " where tenant_id = ? and limit_name = ? and greatest(tat_ns, ?) <= ? and "
          + OVERRIDE_IS
          + " returning tat_ns";

  private final DataSource dataSource;

  PostgresFastPath(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** Adds {@code amount} to a counter if it stays at or below {@code ceiling}; see the class. */
  long tryAdd(
      TenantId tenant,
      String limit,
      long periodStart,
      long amount,
      long ceiling,
      long expectedOverride) {
    String t = tenant.value();
    long room = ceiling - amount;
    return run(ADD, t, amount, t, limit, periodStart, room, t, limit, expectedOverride);
  }

  /** Takes {@code cost} from a bucket if it stays within {@code burst}; see the class. */
  long tryTake(
      TenantId tenant, String limit, long nowNanos, long cost, long burst, long expectedOverride) {
    String t = tenant.value();
    long maxBase = nowNanos + burst - cost;
    return run(TAKE, t, nowNanos, cost, t, limit, nowNanos, maxBase, t, limit, expectedOverride);
  }

  /** Binds strings and longs in order, runs the two statements, and reads the update's value. */
  private long run(String sql, Object... params) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        return -1;
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          if (params[i] instanceof String s) {
            ps.setString(i + 1, s);
          } else {
            ps.setLong(i + 1, (Long) params[i]);
          }
        }
        ps.execute();
        if (!ps.getMoreResults()) {
          return -1;
        }
        try (ResultSet rs = ps.getResultSet()) {
          return rs.next() ? rs.getLong(1) : -1;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("a quota statement failed: " + e.getMessage(), e);
    }
  }
}
