package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.metering.quota.spi.CellResult;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The conditional changes of a quota cell inside a transaction: what a decision runs when the
 * PostgreSQL fast path did not make it (always on H2), and what the all-or-none batch runs for each
 * of its operations.
 *
 * <p>Each change is one {@code UPDATE} whose {@code WHERE} clause holds the condition, returning
 * the new value ({@code RETURNING} on PostgreSQL, {@code FINAL TABLE} on H2); a row that does not
 * exist yet is created with {@code INSERT ... ON CONFLICT DO NOTHING}, and a caller that loses that
 * race tries the update again. Every change first checks that the tenant's override is the one the
 * caller expects. The statements are built once per store, for its dialect. Thread-safe
 * (immutable); database failures surface as Jdbi's unchecked exceptions.
 */
final class CellStatements {
  static final String COUNTER_KEY =
      " where tenant_id = :t and limit_name = :l and period_start_ms = :p";
  static final String LIMIT_KEY = " where tenant_id = :t and limit_name = :l";
  static final String OVERRIDE = "(select amount from tenantkit_quota_overrides" + LIMIT_KEY + ")";

  /** A counter's value, for {@link JdbcQuotaCell#state}. */
  static final String USED = "select used from tenantkit_quota_counters" + COUNTER_KEY;

  /** A bucket's {@code tat}, for {@link JdbcQuotaCell#state}. */
  static final String TAT = "select tat_ns from tenantkit_quota_buckets" + LIMIT_KEY;

  private final String addSql;
  private final String subtractSql;
  private final String takeSql;
  private final boolean postgres;

  CellStatements(boolean postgres) {
    this.postgres = postgres;
    this.addSql =
        returning(
            "update tenantkit_quota_counters set used = used + :amount"
                + COUNTER_KEY
                + " and used <= :room",
            "used");
    this.subtractSql =
        returning(
            "update tenantkit_quota_counters set used = greatest(used - :amount, 0)" + COUNTER_KEY,
            "used");
    this.takeSql =
        returning(
            "update tenantkit_quota_buckets set tat_ns = greatest(tat_ns, :now) + :cost"
                + LIMIT_KEY
                + " and greatest(tat_ns, :now) <= :maxBase",
            "tat_ns");
  }

  private String returning(String update, String column) {
    return postgres
        ? update + " returning " + column
        : "select " + column + " from final table (" + update + ")";
  }

  /** {@link JdbcQuotaCell#tryAdd} in the transaction of {@code h}: a {@link CellResult}. */
  long add(
      Handle h,
      JdbcQuotaCell cell,
      long periodStart,
      long amount,
      long ceiling,
      long expectedOverride) {
    long room = ceiling - amount;
    while (true) {
      if (cell.readOverride(h) != expectedOverride) {
        return CellResult.OVERRIDE_CHANGED;
      }
      if (room >= 0) {
        Optional<Long> after =
            h.createQuery(addSql)
                .bind("t", cell.tenant.value())
                .bind("l", cell.limit)
                .bind("p", periodStart)
                .bind("amount", amount)
                .bind("room", room)
                .mapTo(Long.class)
                .findOne();
        if (after.isPresent()) {
          return CellResult.applied(after.get());
        }
      }
      Optional<Long> used = cell.state(h, USED, periodStart);
      if (used.isPresent()) {
        if (used.get() > room) {
          return CellResult.rejected(used.get());
        }
        // The row appeared after the update looked (another instance created it): try again.
        continue;
      }
      if (room < 0) {
        return CellResult.rejected(0);
      }
      int inserted =
          h.createUpdate(
                  "insert into tenantkit_quota_counters (tenant_id, limit_name, period_start_ms,"
                      + " used) values (:t, :l, :p, :amount) on conflict do nothing")
              .bind("t", cell.tenant.value())
              .bind("l", cell.limit)
              .bind("p", periodStart)
              .bind("amount", amount)
              .execute();
      if (inserted == 1) {
        return CellResult.applied(amount);
      }
    }
  }

  /** {@link JdbcQuotaCell#tryTake} in the transaction of {@code h}: a {@link CellResult}. */
  long take(
      Handle h, JdbcQuotaCell cell, long nowNanos, long cost, long burst, long expectedOverride) {
    // The largest max(tat, now) that still leaves room for cost; no overflow, as now and burst are
    // both below 2^62.
    long maxBase = nowNanos + burst - cost;
    while (true) {
      if (cell.readOverride(h) != expectedOverride) {
        return CellResult.OVERRIDE_CHANGED;
      }
      if (cost <= burst) {
        Optional<Long> after =
            h.createQuery(takeSql)
                .bind("t", cell.tenant.value())
                .bind("l", cell.limit)
                .bind("now", nowNanos)
                .bind("cost", cost)
                .bind("maxBase", maxBase)
                .mapTo(Long.class)
                .findOne();
        if (after.isPresent()) {
          return CellResult.applied(after.get());
        }
      }
      Optional<Long> tat = cell.state(h, TAT, 0);
      if (tat.isPresent()) {
        long base = Math.max(tat.get(), nowNanos);
        if (cost > burst || base > maxBase) {
          return CellResult.rejected(base);
        }
        continue;
      }
      if (cost > burst) {
        return CellResult.rejected(nowNanos);
      }
      int inserted =
          h.createUpdate(
                  "insert into tenantkit_quota_buckets (tenant_id, limit_name, tat_ns)"
                      + " values (:t, :l, :tat) on conflict do nothing")
              .bind("t", cell.tenant.value())
              .bind("l", cell.limit)
              .bind("tat", nowNanos + cost)
              .execute();
      if (inserted == 1) {
        return CellResult.applied(nowNanos + cost);
      }
    }
  }

  /** {@link JdbcQuotaCell#subtract} in the transaction of {@code h}: the counter after it. */
  long subtract(Handle h, JdbcQuotaCell cell, long periodStart, long amount) {
    return h.createQuery(subtractSql)
        .bind("t", cell.tenant.value())
        .bind("l", cell.limit)
        .bind("p", periodStart)
        .bind("amount", amount)
        .mapTo(Long.class)
        .findOne()
        .orElse(0L);
  }

  /**
   * @throws IllegalArgumentException if {@code amount} or {@code bound} is negative
   */
  static void requireNonNegative(long amount, long bound) {
    if (amount < 0 || bound < 0) {
      throw new IllegalArgumentException("amounts and bounds are non-negative");
    }
  }
}
