package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admitting case of a quota decision on PostgreSQL in one round trip: one call of {@code
 * tenantkit_quota_try_add} or {@code tenantkit_quota_try_take} (migration {@code
 * V1_2__quota_decision_functions}), which sets the tenant for its own transaction and runs the
 * conditional {@code UPDATE ... RETURNING}. The functions run as the caller (security invoker), so
 * row-level security applies as in {@link JdbcStorage#inTenantTransaction}. The update changes the
 * row only if the limit's condition holds and the tenant's override is the one the caller expects.
 * (Measured against the setting and the update sent as two statements in one round trip: about 10%
 * more decisions per second, the cost of the second statement's protocol and executor start.)
 *
 * <p>Returns the new value when the change was made, or {@link #NOT_MADE} when it was not (a
 * rejection, a changed override, a row not created yet, or a connection not in autocommit); the
 * caller then decides in a transaction, which also tells those cases apart and creates a missing
 * row. If the functions are missing (a schema migrated without them), every decision takes that
 * transaction, after one warning.
 *
 * <p>A merged change ({@code RowCombiner}) calls {@code tenantkit_quota_try_add_once} or {@code
 * tenantkit_quota_try_take_once} (migration {@code V1_3__quota_merged_changes}) with an operation
 * id, which the function records with the new value in the same transaction; a second call with the
 * same id answers that value and changes nothing. Without those functions a merged change answers
 * {@link #NOT_MADE} and its parts run alone, after one warning. Thread-safe.
 */
final class PostgresFastPath {
  /**
   * What a call answers when it made no change and the caller must decide in a transaction. Not a
   * {@code CellResult}: the function's {@code null} (no row changed) carries no state, so a
   * rejection is told from a changed override there.
   */
  static final long NOT_MADE = -1;

  private static final String ADD = "select tenantkit_quota_try_add(?, ?, ?, ?, ?, ?)";
  private static final String TAKE = "select tenantkit_quota_try_take(?, ?, ?, ?, ?, ?)";
  private static final String ADD_ONCE =
      "select tenantkit_quota_try_add_once(?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String TAKE_ONCE =
      "select tenantkit_quota_try_take_once(?, ?, ?, ?, ?, ?, ?, ?)";

  /** SQLState of a unique violation: a merged change's second call that ran beside its first. */
  private static final String UNIQUE_VIOLATION = "23505";

  /** SQLState of an undefined function: the migration with the functions was not applied. */
  private static final String UNDEFINED_FUNCTION = "42883";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresFastPath.class);

  private final DataSource dataSource;
  private volatile boolean available = true;
  private volatile boolean onceAvailable = true;

  PostgresFastPath(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Adds {@code amount} to a counter if it stays at or below {@code ceiling}; see the class. With
   * an {@code op}, the change is recorded under it (see {@code RowCombiner.Change#applyOnce}).
   */
  long tryAdd(
      TenantId tenant,
      String limit,
      long periodStart,
      long amount,
      long ceiling,
      long expectedOverride,
      UUID op,
      UUID forget) {
    String t = tenant.value();
    long room = ceiling - amount;
    if (op != null) {
      return once(ADD_ONCE, t, limit, periodStart, amount, room, expectedOverride, op, forget);
    }
    return run(ADD, t, limit, periodStart, amount, room, expectedOverride);
  }

  /** Takes {@code cost} from a bucket if it stays within {@code burst}; see {@link #tryAdd}. */
  long tryTake(
      TenantId tenant,
      String limit,
      long nowNanos,
      long cost,
      long burst,
      long expectedOverride,
      UUID op,
      UUID forget) {
    String t = tenant.value();
    long maxBase = nowNanos + burst - cost;
    if (op != null) {
      return once(TAKE_ONCE, t, limit, nowNanos, cost, maxBase, expectedOverride, op, forget);
    }
    return run(TAKE, t, limit, nowNanos, cost, maxBase, expectedOverride);
  }

  /**
   * A recorded change: {@link #NOT_MADE} without the functions of migration V1_3 (the parts are
   * applied alone), and a second try when a call with the same id ran beside it.
   */
  private long once(
      String sql,
      String tenant,
      String limit,
      long at,
      long amount,
      long bound,
      long override,
      UUID op,
      UUID forget) {
    if (!onceAvailable) {
      return NOT_MADE;
    }
    try {
      return run(sql, tenant, limit, at, amount, bound, override, op, forget);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof SQLException s && UNIQUE_VIOLATION.equals(s.getSQLState())) {
        // The first call committed while this one ran, and this one rolled back: it is recorded.
        return run(sql, tenant, limit, at, amount, bound, override, op, forget);
      }
      throw e;
    }
  }

  /** Binds strings, longs and ids in order, calls the function, and reads its value. */
  private long run(String sql, Object... params) {
    if (!available) {
      return NOT_MADE;
    }
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        return NOT_MADE;
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          if (params[i] instanceof String s) {
            ps.setString(i + 1, s);
          } else if (params[i] == null || params[i] instanceof UUID) {
            ps.setObject(i + 1, params[i], Types.OTHER);
          } else {
            ps.setLong(i + 1, (Long) params[i]);
          }
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long r = rs.getLong(1);
          return rs.wasNull() ? NOT_MADE : r;
        }
      }
    } catch (SQLException e) {
      if (UNDEFINED_FUNCTION.equals(e.getSQLState())
          && (ADD_ONCE.equals(sql) || TAKE_ONCE.equals(sql))) {
        onceAvailable = false;
        LOG.warn(
            "tenantkit_quota_try_add_once/try_take_once are missing (quota migration V1_3 not"
                + " applied); concurrent changes of one quota row are applied one by one",
            e);
        return NOT_MADE;
      }
      if (UNDEFINED_FUNCTION.equals(e.getSQLState())) {
        // A schema migrated separately (Builder.migrate(false)) without this module's V1_2: still
        // correct through the transaction, only slower, so say so once rather than fail.
        available = false;
        LOG.warn(
            "tenantkit_quota_try_add/try_take are missing (quota migration V1_2 not applied);"
                + " quota decisions use a transaction of several round trips instead",
            e);
        return NOT_MADE;
      }
      throw new IllegalStateException("a quota statement failed: " + e.getMessage(), e);
    }
  }
}
