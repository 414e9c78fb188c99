package dev.tenantkit.metering.quota.jdbc;

import static dev.tenantkit.metering.quota.jdbc.CellStatements.requireNonNegative;

import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * One tenant's limit in {@link JdbcQuotaStore}. Holds the override it last read, so a decision
 * reads it from the database only when a statement finds that it changed (see {@link QuotaCell}).
 *
 * <p>On PostgreSQL a change first takes the fast path ({@link PostgresFastPath}), merged with the
 * concurrent changes of the same row ({@link RowCombiner}); what it does not make, and every change
 * on H2, runs as {@link CellStatements} in {@link JdbcStorage#inTenantTransaction}. Thread-safe.
 */
final class JdbcQuotaCell implements QuotaCell {
  /** What the cell holds as its override before it has read one. */
  private static final long UNKNOWN = Long.MIN_VALUE;

  final TenantId tenant;
  final String limit;
  private volatile long override = UNKNOWN;

  private final JdbcStorage storage;
  private final CellStatements statements;

  /** Merges this row's concurrent fast-path changes; null, as are the changes, on H2. */
  private final RowCombiner combiner;

  private final RowCombiner.Change add;
  private final RowCombiner.Change take;

  /**
   * @param fastPath PostgreSQL's fast path, or null on H2
   */
  JdbcQuotaCell(
      TenantId tenant,
      String limit,
      JdbcStorage storage,
      CellStatements statements,
      PostgresFastPath fastPath) {
    this.tenant = tenant;
    this.limit = limit;
    this.storage = storage;
    this.statements = statements;
    if (fastPath == null) {
      this.combiner = null;
      this.add = null;
      this.take = null;
    } else {
      this.combiner = new RowCombiner();
      this.add =
          new RowCombiner.Change() {
            @Override
            public long apply(long period, long amount, long ceiling, long o) {
              return fastPath.tryAdd(tenant, limit, period, amount, ceiling, o, null, null);
            }

            @Override
            public long applyOnce(
                long period, long amount, long ceiling, long o, UUID op, UUID forget) {
              return fastPath.tryAdd(tenant, limit, period, amount, ceiling, o, op, forget);
            }
          };
      this.take =
          new RowCombiner.Change() {
            @Override
            public long apply(long now, long cost, long burst, long o) {
              return fastPath.tryTake(tenant, limit, now, cost, burst, o, null, null);
            }

            @Override
            public long applyOnce(long now, long cost, long burst, long o, UUID op, UUID forget) {
              return fastPath.tryTake(tenant, limit, now, cost, burst, o, op, forget);
            }
          };
    }
  }

  /**
   * The fast path's answer for one change, merged with concurrent ones: the new value, or {@link
   * PostgresFastPath#NOT_MADE}.
   */
  private long fast(
      RowCombiner.Change change, boolean latestAt, long at, long amount, long bound, long o) {
    long r = combiner.submit(latestAt, at, amount, bound, o, change);
    return r == RowCombiner.ALONE ? change.apply(at, amount, bound, o) : r;
  }

  @Override
  public long override() {
    long o = override;
    if (o == UNKNOWN) {
      o = storage.inTenantTransaction(tenant, this::readOverride);
    }
    return o;
  }

  /** Reads the override in the transaction of {@code h}, and keeps it. */
  long readOverride(Handle h) {
    long o =
        h.createQuery("select amount from tenantkit_quota_overrides" + CellStatements.LIMIT_KEY)
            .bind("t", tenant.value())
            .bind("l", limit)
            .mapTo(Long.class)
            .findOne()
            .orElse(QuotaStore.NO_OVERRIDE);
    override = o;
    return o;
  }

  /**
   * Makes the cell read the override again: a change made through this instance applies at once,
   * even to decisions that do not reach the database (leases).
   */
  void forgetOverride() {
    override = UNKNOWN;
  }

  @Override
  public long tryAdd(long periodStart, long amount, long ceiling, long expectedOverride) {
    requireNonNegative(amount, ceiling);
    if (combiner != null) {
      long r = fast(add, false, periodStart, amount, ceiling, expectedOverride);
      if (r != PostgresFastPath.NOT_MADE) {
        return CellResult.applied(r);
      }
    }
    return storage.inTenantTransaction(
        tenant, h -> statements.add(h, this, periodStart, amount, ceiling, expectedOverride));
  }

  @Override
  public long subtract(long periodStart, long amount) {
    requireNonNegative(amount, 0);
    return storage.inTenantTransaction(
        tenant, h -> statements.subtract(h, this, periodStart, amount));
  }

  @Override
  public long counter(long periodStart) {
    return storage
        .inTenantTransaction(tenant, h -> state(h, CellStatements.USED, periodStart))
        .orElse(0L);
  }

  @Override
  public long tryTake(long nowNanos, long cost, long burst, long expectedOverride) {
    requireNonNegative(cost, burst);
    if (combiner != null) {
      long r = fast(take, true, nowNanos, cost, burst, expectedOverride);
      if (r != PostgresFastPath.NOT_MADE) {
        return CellResult.applied(r);
      }
    }
    return storage.inTenantTransaction(
        tenant, h -> statements.take(h, this, nowNanos, cost, burst, expectedOverride));
  }

  @Override
  public long bucket() {
    return storage
        .inTenantTransaction(tenant, h -> state(h, CellStatements.TAT, 0))
        .orElse(QuotaStore.FULL_BUCKET);
  }

  /**
   * Reads a counter's or bucket's value ({@link CellStatements#USED} or {@link CellStatements#TAT})
   * and, in the same statement, the override, which it keeps.
   */
  Optional<Long> state(Handle h, String valueQuery, long periodStart) {
    Query q =
        h.createQuery("select (" + valueQuery + "), " + CellStatements.OVERRIDE)
            .bind("t", tenant.value())
            .bind("l", limit);
    if (valueQuery.endsWith(CellStatements.COUNTER_KEY)) {
      q.bind("p", periodStart);
    }
    // The value (or none) and the override (or none), both nullable.
    long[] row =
        q.map(
                (rs, ctx) -> {
                  long value = rs.getLong(1);
                  boolean noValue = rs.wasNull();
                  long o = rs.getLong(2);
                  return new long[] {
                    noValue ? 0 : 1, value, rs.wasNull() ? QuotaStore.NO_OVERRIDE : o
                  };
                })
            .one();
    override = row[2];
    return row[0] == 1 ? Optional.of(row[1]) : Optional.empty();
  }
}
