package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.Dialect;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcStoreBuilder;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

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
 * migrations first.
 *
 * <p>The store is a facade over one package-private class per job: {@code JdbcQuotaCell} (a
 * tenant's limit, kept in {@code QuotaCells}), {@code CellStatements} (its changes inside a
 * transaction), {@code AllOrNoneBatch} ({@link #tryApplyAll}) and {@code QuotaAdminStatements}
 * (threshold marks, overrides and the purge). Thread-safe.
 */
public final class JdbcQuotaStore implements QuotaStore {
  /** The migration module name: history table {@code tenantkit_quota_schema_history}. */
  public static final String MODULE = "quota";

  /** Migrations that run on both databases. */
  public static final String COMMON_LOCATION = "classpath:dev/tenantkit/metering/quota/db/common";

  /** Migrations for one database; {@code {vendor}} is {@code h2} or {@code postgresql}. */
  public static final String VENDOR_LOCATION = "classpath:dev/tenantkit/metering/quota/db/{vendor}";

  private final JdbcStorage storage;
  private final QuotaCells cells;
  private final AllOrNoneBatch batch;
  private final QuotaAdminStatements admin;

  private JdbcQuotaStore(JdbcStorage storage) {
    boolean postgres = storage.dialect() == Dialect.POSTGRESQL;
    CellStatements statements = new CellStatements(postgres);
    this.storage = storage;
    this.cells =
        new QuotaCells(
            storage, statements, postgres ? new PostgresFastPath(storage.dataSource()) : null);
    this.batch = new AllOrNoneBatch(storage, statements, cells);
    this.admin = new QuotaAdminStatements(storage, postgres, cells);
  }

  /** A builder over {@code dataSource}, an H2 or PostgreSQL data source (usually a pool). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The storage base this store runs on. */
  public JdbcStorage storage() {
    return storage;
  }

  @Override
  public QuotaCell cell(TenantId tenant, String limit) {
    return cells.get(tenant, limit);
  }

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    return batch.tryApplyAll(tenant, operations);
  }

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    return admin.markThreshold(tenant, limit, periodStart, percent);
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    return admin.overrides(tenant);
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    admin.putOverride(tenant, limit, amount);
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    admin.removeOverride(tenant, limit);
  }

  @Override
  public void purge(TenantId tenant) {
    admin.purge(tenant);
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
