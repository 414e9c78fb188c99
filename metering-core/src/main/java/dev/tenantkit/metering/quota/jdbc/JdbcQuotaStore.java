package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.Dialect;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcStoreBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * Quota state in H2 (PostgreSQL mode) or PostgreSQL, shared by every application instance on the
 * database.
 *
 * <pre>{@code
 * QuotaStore store = JdbcQuotaStore.builder(dataSource).build(); // migrates on build
 * }</pre>
 *
 * <p>Every conditional change is one {@code UPDATE} whose {@code WHERE} clause holds the condition
 * ({@code used <= ceiling - amount}; for a bucket {@code greatest(tat_ns, now) <= now + burst -
 * cost}), so two instances never both pass a limit: the database's row lock serialises them and the
 * second re-checks the condition against the first one's committed row. The new value comes back
 * from the same statement ({@code RETURNING} on PostgreSQL, {@code FINAL TABLE} on H2). A counter
 * or bucket that does not exist yet is created with {@code INSERT ... ON CONFLICT DO NOTHING}; an
 * instance that loses that race retries the update. {@link #tryApplyAll} runs its operations in one
 * transaction and rolls it back on the first rejection, after reading the state of the operations
 * it did not try. Each update also checks that the tenant's override is the one the caller's cell
 * last saw (see {@link QuotaCell}), so no decision reads the override on its own.
 *
 * <p>On PostgreSQL an update that succeeds is one round trip: one call of a function that sets the
 * tenant and runs the update ({@code PostgresFastPath}), shared by the changes of the same row that
 * arrive while it runs ({@code RowCombiner}: their sum in one update, admitted only if all of it
 * fits, else each decided alone; recorded under an operation id in {@code
 * tenantkit_quota_merged_changes}, so that a call whose answer was lost is sent again without
 * charging twice); everything else runs in {@link JdbcStorage#inTenantTransaction}. Every statement
 * names its tenant, and on PostgreSQL is also confined to it by row-level security. Migrations are
 * the module {@value #MODULE} (history table {@code tenantkit_quota_schema_history}); they need
 * {@code tenantkit_enable_rls} from tenancy-core, so {@link Builder#build()} applies tenancy-core's
 * migrations first. Thread-safe.
 */
public final class JdbcQuotaStore implements QuotaStore {
  /** The migration module name: history table {@code tenantkit_quota_schema_history}. */
  public static final String MODULE = "quota";

  /** Migrations that run on both databases. */
  public static final String COMMON_LOCATION = "classpath:dev/tenantkit/metering/quota/db/common";

  /** Migrations for one database; {@code {vendor}} is {@code h2} or {@code postgresql}. */
  public static final String VENDOR_LOCATION = "classpath:dev/tenantkit/metering/quota/db/{vendor}";

  private static final String COUNTER_KEY =
      " where tenant_id = :t and limit_name = :l and period_start_ms = :p";
  private static final String LIMIT_KEY = " where tenant_id = :t and limit_name = :l";
  private static final String OVERRIDE =
      "(select amount from tenantkit_quota_overrides" + LIMIT_KEY + ")";

  /** What a cell holds as its override before it has read one. */
  private static final long UNKNOWN = Long.MIN_VALUE;

  private final JdbcStorage storage;
  private final boolean postgres;
  private final PostgresFastPath fastPath;
  private final String addSql;
  private final String subtractSql;
  private final String takeSql;
  private final ConcurrentHashMap<TenantId, ConcurrentHashMap<String, Cell>> cells =
      new ConcurrentHashMap<>();

  private JdbcQuotaStore(JdbcStorage storage) {
    this.storage = storage;
    this.postgres = storage.dialect() == Dialect.POSTGRESQL;
    this.fastPath = postgres ? new PostgresFastPath(storage.dataSource()) : null;
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

  /** A builder over {@code dataSource}, an H2 or PostgreSQL data source (usually a pool). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The storage base this store runs on. */
  public JdbcStorage storage() {
    return storage;
  }

  private String returning(String update, String column) {
    return postgres
        ? update + " returning " + column
        : "select " + column + " from final table (" + update + ")";
  }

  @Override
  public QuotaCell cell(TenantId tenant, String limit) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(limit, "limit");
    return cells
        .computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(limit, l -> new Cell(tenant, l));
  }

  /**
   * One tenant's limit. Holds the override it last read, so a decision reads it from the database
   * only when a statement finds that it changed (see {@link QuotaCell}).
   */
  private final class Cell implements QuotaCell {
    final TenantId tenant;
    final String limit;
    volatile long override = UNKNOWN;

    /** Merges this row's concurrent fast-path changes; null, as are the changes, on H2. */
    private final RowCombiner combiner;

    private final RowCombiner.Change add;
    private final RowCombiner.Change take;

    Cell(TenantId tenant, String limit) {
      this.tenant = tenant;
      this.limit = limit;
      PostgresFastPath f = fastPath;
      if (f == null) {
        this.combiner = null;
        this.add = null;
        this.take = null;
      } else {
        this.combiner = new RowCombiner();
        this.add =
            new RowCombiner.Change() {
              @Override
              public long apply(long period, long amount, long ceiling, long o) {
                return f.tryAdd(tenant, limit, period, amount, ceiling, o, null, null);
              }

              @Override
              public long applyOnce(
                  long period, long amount, long ceiling, long o, UUID op, UUID forget) {
                return f.tryAdd(tenant, limit, period, amount, ceiling, o, op, forget);
              }
            };
        this.take =
            new RowCombiner.Change() {
              @Override
              public long apply(long now, long cost, long burst, long o) {
                return f.tryTake(tenant, limit, now, cost, burst, o, null, null);
              }

              @Override
              public long applyOnce(long now, long cost, long burst, long o, UUID op, UUID forget) {
                return f.tryTake(tenant, limit, now, cost, burst, o, op, forget);
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

    long readOverride(Handle h) {
      long o =
          h.createQuery("select amount from tenantkit_quota_overrides" + LIMIT_KEY)
              .bind("t", tenant.value())
              .bind("l", limit)
              .mapTo(Long.class)
              .findOne()
              .orElse(NO_OVERRIDE);
      override = o;
      return o;
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
          tenant, h -> add(h, this, periodStart, amount, ceiling, expectedOverride));
    }

    @Override
    public long subtract(long periodStart, long amount) {
      requireNonNegative(amount, 0);
      return storage.inTenantTransaction(
          tenant,
          h ->
              h.createQuery(subtractSql)
                  .bind("t", tenant.value())
                  .bind("l", limit)
                  .bind("p", periodStart)
                  .bind("amount", amount)
                  .mapTo(Long.class)
                  .findOne()
                  .orElse(0L));
    }

    @Override
    public long counter(long periodStart) {
      return storage
          .inTenantTransaction(
              tenant,
              h -> state(h, "select used from tenantkit_quota_counters" + COUNTER_KEY, periodStart))
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
          tenant, h -> take(h, this, nowNanos, cost, burst, expectedOverride));
    }

    @Override
    public long bucket() {
      return storage
          .inTenantTransaction(
              tenant, h -> state(h, "select tat_ns from tenantkit_quota_buckets" + LIMIT_KEY, 0))
          .orElse(FULL_BUCKET);
    }

    /**
     * Reads a counter's or bucket's value and, in the same statement, the override, which it keeps.
     */
    Optional<Long> state(Handle h, String valueQuery, long periodStart) {
      Query q =
          h.createQuery("select (" + valueQuery + "), " + OVERRIDE)
              .bind("t", tenant.value())
              .bind("l", limit);
      if (valueQuery.endsWith(COUNTER_KEY)) {
        q.bind("p", periodStart);
      }
      // The value (or none) and the override (or none), both nullable.
      long[] row =
          q.map(
                  (rs, ctx) -> {
                    long value = rs.getLong(1);
                    boolean noValue = rs.wasNull();
                    long o = rs.getLong(2);
                    return new long[] {noValue ? 0 : 1, value, rs.wasNull() ? NO_OVERRIDE : o};
                  })
              .one();
      override = row[2];
      return row[0] == 1 ? Optional.of(row[1]) : Optional.empty();
    }
  }

  // ---- counters and buckets inside a transaction

  private long add(
      Handle h, Cell cell, long periodStart, long amount, long ceiling, long expectedOverride) {
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
      Optional<Long> used =
          cell.state(h, "select used from tenantkit_quota_counters" + COUNTER_KEY, periodStart);
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

  private long take(
      Handle h, Cell cell, long nowNanos, long cost, long burst, long expectedOverride) {
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
      Optional<Long> tat =
          cell.state(h, "select tat_ns from tenantkit_quota_buckets" + LIMIT_KEY, 0);
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

  // ---- batches

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    Objects.requireNonNull(operations, "operations");
    long[] results = new long[operations.size()];
    try {
      storage.useTenantTransaction(
          tenant,
          h -> {
            for (int i = 0; i < results.length; i++) {
              QuotaOperation op = operations.get(i);
              Cell cell = (Cell) cell(tenant, op.limit());
              if (op instanceof QuotaOperation.TryAdd add) {
                requireNonNegative(add.amount(), add.ceiling());
                results[i] =
                    add(
                        h,
                        cell,
                        add.periodStart(),
                        add.amount(),
                        add.ceiling(),
                        add.expectedOverride());
              } else {
                QuotaOperation.TryTake take = (QuotaOperation.TryTake) op;
                requireNonNegative(take.cost(), take.burst());
                results[i] =
                    take(
                        h,
                        cell,
                        take.nowNanos(),
                        take.cost(),
                        take.burst(),
                        take.expectedOverride());
              }
              if (!CellResult.isApplied(results[i])) {
                if (CellResult.isRejected(results[i])) {
                  standing(h, tenant, operations, results, i + 1);
                }
                throw new Rejected();
              }
            }
          });
    } catch (Rejected e) {
      // The transaction was rolled back: nothing of the batch is stored.
      return results;
    }
    return results;
  }

  /**
   * The operations of a rejected batch from {@code from} on, not tried: each a rejection of its
   * current state, read in the batch's transaction.
   */
  private void standing(
      Handle h, TenantId tenant, List<QuotaOperation> operations, long[] results, int from) {
    for (int j = from; j < results.length; j++) {
      QuotaOperation op = operations.get(j);
      Cell cell = (Cell) cell(tenant, op.limit());
      if (op instanceof QuotaOperation.TryAdd add) {
        long used =
            cell.state(
                    h, "select used from tenantkit_quota_counters" + COUNTER_KEY, add.periodStart())
                .orElse(0L);
        results[j] = CellResult.rejected(used);
      } else {
        long tat =
            cell.state(h, "select tat_ns from tenantkit_quota_buckets" + LIMIT_KEY, 0)
                .orElse(FULL_BUCKET);
        results[j] = CellResult.rejected(Math.max(tat, ((QuotaOperation.TryTake) op).nowNanos()));
      }
    }
  }

  /** Rolls back a batch's transaction; carries nothing, as the results are already recorded. */
  private static final class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected() {
      super(null, null, false, false);
    }
  }

  // ---- thresholds and overrides

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    return storage.inTenantTransaction(
        tenant,
        h ->
            h.createUpdate(
                        "insert into tenantkit_quota_thresholds (tenant_id, limit_name,"
                            + " period_start_ms, threshold_pct, crossed_at)"
                            + " values (:t, :l, :p, :pct, current_timestamp)"
                            + " on conflict do nothing")
                    .bind("t", tenant.value())
                    .bind("l", limit)
                    .bind("p", periodStart)
                    .bind("pct", percent)
                    .execute()
                == 1);
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    return storage.inTenantTransaction(
        tenant,
        h -> {
          Map<String, Long> out = new TreeMap<>();
          h.createQuery(
                  "select limit_name, amount from tenantkit_quota_overrides where tenant_id = :t")
              .bind("t", tenant.value())
              .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(e -> out.put(e.getKey(), e.getValue()));
          return Map.copyOf(out);
        });
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    Objects.requireNonNull(limit, "limit");
    requireNonNegative(amount, 0);
    storage.useTenantTransaction(
        tenant,
        h -> {
          while (true) {
            int updated =
                h.createUpdate(
                        "update tenantkit_quota_overrides set amount = :a,"
                            + " updated_at = current_timestamp"
                            + LIMIT_KEY)
                    .bind("t", tenant.value())
                    .bind("l", limit)
                    .bind("a", amount)
                    .execute();
            if (updated == 1) {
              return;
            }
            int inserted =
                h.createUpdate(
                        "insert into tenantkit_quota_overrides (tenant_id, limit_name, amount,"
                            + " updated_at) values (:t, :l, :a, current_timestamp)"
                            + " on conflict do nothing")
                    .bind("t", tenant.value())
                    .bind("l", limit)
                    .bind("a", amount)
                    .execute();
            if (inserted == 1) {
              return;
            }
          }
        });
    forgetOverrides(tenant, limit);
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    storage.useTenantTransaction(
        tenant,
        h ->
            h.createUpdate("delete from tenantkit_quota_overrides" + LIMIT_KEY)
                .bind("t", tenant.value())
                .bind("l", limit)
                .execute());
    forgetOverrides(tenant, limit);
  }

  /**
   * Makes this instance's cells read the override again, so a change made here applies at once even
   * to decisions that do not reach the database (leases); other instances learn of it from their
   * next statement.
   */
  private void forgetOverrides(TenantId tenant, String limit) {
    ConcurrentHashMap<String, Cell> byLimit = cells.get(tenant);
    if (byLimit != null) {
      byLimit.forEach(
          (l, c) -> {
            if (limit == null || l.equals(limit)) {
              c.override = UNKNOWN;
            }
          });
    }
  }

  @Override
  public void purge(TenantId tenant) {
    storage.useTenantTransaction(
        tenant,
        h -> {
          for (String table :
              List.of(
                  "tenantkit_quota_counters",
                  "tenantkit_quota_buckets",
                  "tenantkit_quota_thresholds",
                  "tenantkit_quota_overrides")) {
            h.createUpdate("delete from " + table + " where tenant_id = :t")
                .bind("t", tenant.value())
                .execute();
          }
          // The records of merged changes (PostgreSQL, migration V1_3; absent from a schema
          // migrated separately without it, whose merged changes are not recorded either).
          if (postgres
              && h.createQuery("select to_regclass('tenantkit_quota_merged_changes') is not null")
                  .mapTo(Boolean.class)
                  .one()) {
            h.createUpdate("delete from tenantkit_quota_merged_changes where tenant_id = :t")
                .bind("t", tenant.value())
                .execute();
          }
        });
    forgetOverrides(tenant, null);
  }

  private static void requireNonNegative(long amount, long bound) {
    if (amount < 0 || bound < 0) {
      throw new IllegalArgumentException("amounts and bounds are non-negative");
    }
  }

  /**
   * Builder of {@link JdbcQuotaStore}: the options of {@link JdbcStoreBuilder} (the migrate switch
   * applies tenancy-core's migrations, for {@code tenantkit_enable_rls}, then module {@value
   * JdbcQuotaStore#MODULE}). Not thread-safe.
   */
  public static final class Builder extends JdbcStoreBuilder<Builder> {
    private Builder(DataSource dataSource) {
      super(dataSource, MODULE, COMMON_LOCATION, VENDOR_LOCATION);
    }

    /**
     * Detects the database, migrates if asked to, and builds the store.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws IllegalStateException if no connection can be opened
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public JdbcQuotaStore build() {
      return new JdbcQuotaStore(storage());
    }
  }
}
