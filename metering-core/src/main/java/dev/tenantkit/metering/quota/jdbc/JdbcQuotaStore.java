package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.Dialect;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcTenancyStore;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;

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
 * transaction and rolls it back on the first rejection.
 *
 * <p>Every statement runs in {@link JdbcStorage#inTenantTransaction}, names its tenant, and on
 * PostgreSQL is also confined to it by row-level security. Migrations are the module {@value
 * #MODULE} (history table {@code tenantkit_quota_schema_history}); they need {@code
 * tenantkit_enable_rls} from tenancy-core, so {@link Builder#build()} applies tenancy-core's
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
  private static final String BUCKET_KEY = " where tenant_id = :t and limit_name = :l";

  private final JdbcStorage storage;
  private final String addSql;
  private final String subtractSql;
  private final String takeSql;

  private JdbcQuotaStore(JdbcStorage storage) {
    this.storage = storage;
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
                + BUCKET_KEY
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
    return storage.dialect() == Dialect.POSTGRESQL
        ? update + " returning " + column
        : "select " + column + " from final table (" + update + ")";
  }

  // ---- counters

  @Override
  public long tryAdd(TenantId tenant, String limit, long periodStart, long amount, long ceiling) {
    requireNonNegative(amount, ceiling);
    return storage.inTenantTransaction(
        tenant, h -> tryAdd(h, tenant, limit, periodStart, amount, ceiling));
  }

  private long tryAdd(
      Handle h, TenantId tenant, String limit, long periodStart, long amount, long ceiling) {
    long room = ceiling - amount;
    while (true) {
      if (room >= 0) {
        Optional<Long> after =
            h.createQuery(addSql)
                .bind("t", tenant.value())
                .bind("l", limit)
                .bind("p", periodStart)
                .bind("amount", amount)
                .bind("room", room)
                .mapTo(Long.class)
                .findOne();
        if (after.isPresent()) {
          return after.get();
        }
      }
      Optional<Long> used = counter(h, tenant, limit, periodStart);
      if (used.isPresent()) {
        if (used.get() > room) {
          return QuotaStore.rejected(used.get());
        }
        // The row appeared after the update looked (another instance created it): try again.
        continue;
      }
      if (room < 0) {
        return QuotaStore.rejected(0);
      }
      int inserted =
          h.createUpdate(
                  "insert into tenantkit_quota_counters (tenant_id, limit_name, period_start_ms,"
                      + " used) values (:t, :l, :p, :amount) on conflict do nothing")
              .bind("t", tenant.value())
              .bind("l", limit)
              .bind("p", periodStart)
              .bind("amount", amount)
              .execute();
      if (inserted == 1) {
        return amount;
      }
    }
  }

  @Override
  public long subtract(TenantId tenant, String limit, long periodStart, long amount) {
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
  public long counter(TenantId tenant, String limit, long periodStart) {
    return storage.inTenantTransaction(
        tenant, h -> counter(h, tenant, limit, periodStart).orElse(0L));
  }

  private static Optional<Long> counter(Handle h, TenantId tenant, String limit, long periodStart) {
    return h.createQuery("select used from tenantkit_quota_counters" + COUNTER_KEY)
        .bind("t", tenant.value())
        .bind("l", limit)
        .bind("p", periodStart)
        .mapTo(Long.class)
        .findOne();
  }

  // ---- buckets

  @Override
  public long tryTake(TenantId tenant, String limit, long nowNanos, long cost, long burst) {
    requireNonNegative(cost, burst);
    return storage.inTenantTransaction(
        tenant, h -> tryTake(h, tenant, limit, nowNanos, cost, burst));
  }

  private long tryTake(
      Handle h, TenantId tenant, String limit, long nowNanos, long cost, long burst) {
    // The largest max(tat, now) that still leaves room for cost; no overflow, as now and burst are
    // both below 2^62.
    long maxBase = nowNanos + burst - cost;
    while (true) {
      if (cost <= burst) {
        Optional<Long> after =
            h.createQuery(takeSql)
                .bind("t", tenant.value())
                .bind("l", limit)
                .bind("now", nowNanos)
                .bind("cost", cost)
                .bind("maxBase", maxBase)
                .mapTo(Long.class)
                .findOne();
        if (after.isPresent()) {
          return after.get();
        }
      }
      Optional<Long> tat = bucket(h, tenant, limit);
      if (tat.isPresent()) {
        long base = Math.max(tat.get(), nowNanos);
        if (cost > burst || base > maxBase) {
          return QuotaStore.rejected(base);
        }
        continue;
      }
      if (cost > burst) {
        return QuotaStore.rejected(nowNanos);
      }
      int inserted =
          h.createUpdate(
                  "insert into tenantkit_quota_buckets (tenant_id, limit_name, tat_ns)"
                      + " values (:t, :l, :tat) on conflict do nothing")
              .bind("t", tenant.value())
              .bind("l", limit)
              .bind("tat", nowNanos + cost)
              .execute();
      if (inserted == 1) {
        return nowNanos + cost;
      }
    }
  }

  @Override
  public long bucket(TenantId tenant, String limit) {
    return storage.inTenantTransaction(tenant, h -> bucket(h, tenant, limit).orElse(FULL_BUCKET));
  }

  private static Optional<Long> bucket(Handle h, TenantId tenant, String limit) {
    return h.createQuery("select tat_ns from tenantkit_quota_buckets" + BUCKET_KEY)
        .bind("t", tenant.value())
        .bind("l", limit)
        .mapTo(Long.class)
        .findOne();
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
              if (op instanceof QuotaOperation.TryAdd add) {
                results[i] =
                    tryAdd(h, tenant, add.limit(), add.periodStart(), add.amount(), add.ceiling());
              } else {
                QuotaOperation.TryTake take = (QuotaOperation.TryTake) op;
                results[i] =
                    tryTake(h, tenant, take.limit(), take.nowNanos(), take.cost(), take.burst());
              }
              if (QuotaStore.isRejected(results[i])) {
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
  public long override(TenantId tenant, String limit) {
    return storage.inTenantTransaction(
        tenant,
        h ->
            h.createQuery("select amount from tenantkit_quota_overrides" + BUCKET_KEY)
                .bind("t", tenant.value())
                .bind("l", limit)
                .mapTo(Long.class)
                .findOne()
                .orElse(NO_OVERRIDE));
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
                            + BUCKET_KEY)
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
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    storage.useTenantTransaction(
        tenant,
        h ->
            h.createUpdate("delete from tenantkit_quota_overrides" + BUCKET_KEY)
                .bind("t", tenant.value())
                .bind("l", limit)
                .execute());
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
        });
  }

  private static void requireNonNegative(long amount, long bound) {
    if (amount < 0 || bound < 0) {
      throw new IllegalArgumentException("amounts and bounds are non-negative");
    }
  }

  /** Builder of {@link JdbcQuotaStore}. Not thread-safe. */
  public static final class Builder {
    private final DataSource dataSource;
    private boolean migrate = true;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Whether {@link #build()} applies pending migrations: tenancy-core's (module {@value
     * JdbcTenancyStore#MODULE}, for {@code tenantkit_enable_rls}) and then this module's; default
     * true. Turn it off when a separate deployment step migrates with {@link JdbcStorage#migrate}.
     */
    public Builder migrate(boolean migrate) {
      this.migrate = migrate;
      return this;
    }

    /**
     * Detects the database, migrates if asked to, and builds the store.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws IllegalStateException if no connection can be opened
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public JdbcQuotaStore build() {
      JdbcStorage storage = JdbcStorage.of(dataSource);
      if (migrate) {
        JdbcTenancyStore.migrate(storage);
        storage.migrate(MODULE, COMMON_LOCATION, VENDOR_LOCATION);
      }
      return new JdbcQuotaStore(storage);
    }
  }
}
