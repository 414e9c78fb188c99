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
 * one upsert sent together as one prepared statement in autocommit, which PostgreSQL runs as one
 * implicit transaction, so the transaction-local setting covers the upsert and row-level security
 * applies as in {@link JdbcStorage#inTenantTransaction}. The upsert creates the row if it is
 * missing, changes it only if the limit's condition holds, and does either only if the tenant's
 * override is the one the caller expects.
 *
 * <p>Returns the new value when the change was made, or -1 when it was not (a rejection, a changed
 * override, or a connection not in autocommit); the caller then decides in a transaction, which
 * also tells those cases apart. Thread-safe.
 */
final class PostgresFastPath {
  private static final String SET_TENANT =
      "select set_config('" + JdbcStorage.TENANT_SETTING + "', ?, true);\n";
  private static final String OVERRIDE_IS =
      "coalesce((select amount from tenantkit_quota_overrides"
          + " where tenant_id = ? and limit_name = ?), -1) = ?";

  private static final String ADD =
      SET_TENANT
          + "insert into tenantkit_quota_counters as c"
          + " (tenant_id, limit_name, period_start_ms, used)"
          + " select ?, ?, ?, ? where ? >= 0 and "
          + OVERRIDE_IS
          + " on conflict (tenant_id, limit_name, period_start_ms)"
          + " do update set used = c.used + excluded.used where c.used <= ?"
          + " returning used";

  private static final String TAKE =
      SET_TENANT
          + "insert into tenantkit_quota_buckets as b (tenant_id, limit_name, tat_ns)"
          + " select ?, ?, ? where ? >= 0 and "
          + OVERRIDE_IS
          + " on conflict (tenant_id, limit_name)"
          + " do update set tat_ns = greatest(b.tat_ns, ?) + ? where greatest(b.tat_ns, ?) <= ?"
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
    return run(ADD, t, t, limit, periodStart, amount, room, t, limit, expectedOverride, room);
  }

  /** Takes {@code cost} from a bucket if it stays within {@code burst}; see the class. */
  long tryTake(
      TenantId tenant, String limit, long nowNanos, long cost, long burst, long expectedOverride) {
    String t = tenant.value();
    long maxBase = nowNanos + burst - cost;
    return run(
        TAKE,
        t,
        t,
        limit,
        nowNanos + cost,
        burst - cost,
        t,
        limit,
        expectedOverride,
        nowNanos,
        cost,
        nowNanos,
        maxBase);
  }

  /** Binds strings and longs in order, runs the two statements, and reads the upsert's value. */
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
