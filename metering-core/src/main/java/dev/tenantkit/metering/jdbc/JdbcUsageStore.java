package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.Dialect;
import dev.tenantkit.tenancy.jdbc.JdbcJobLeases;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcStoreBuilder;
import dev.tenantkit.tenancy.jobs.JobLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;

/**
 * Usage in H2 (PostgreSQL mode) or PostgreSQL: the durable {@link UsageStore}.
 *
 * <pre>{@code
 * UsageStore store = JdbcUsageStore.builder(dataSource).build();
 * Metering metering = Metering.builder().store(store).build();
 * }</pre>
 *
 * <p>Tables {@code tenantkit_metering_*}, migrated by Flyway with the history table {@code
 * tenantkit_metering_schema_history}: {@code events} (raw), {@code keys} (idempotency keys, primary
 * key {@code (tenant_id, idempotency_key)}), {@code rollups}, {@code tenants} (the rollup job's
 * marks). Every tenant-scoped table has {@code tenant_id} leading its primary key and indexes. On
 * PostgreSQL they are under row-level security: each tenant's work runs in {@link
 * JdbcStorage#inTenantTransaction}, a batch of several tenants switches with {@link
 * JdbcStorage#bindTenant} before each tenant's rows in its one transaction, and the only
 * cross-tenant read ({@link #tenants()}) runs in {@link JdbcStorage#inAllTenantsTransaction},
 * admitted by the SELECT-only operator policy on {@code tenantkit_metering_tenants}. The rollup
 * job's lease is in tenancy-core's {@code tenantkit_job_leases} ({@link JdbcJobLeases}); the old
 * {@code tenantkit_metering_leases} table is no longer used. Since the row-level security functions
 * and the lease table belong to tenancy-core, {@link Builder#build()} applies the tenancy
 * migrations first.
 *
 * <p>The store is a facade over one package-private class per job: {@code PostgresAppend} (the
 * ingestion hot path, one statement per tenant over arrays of columns), {@code H2Append} (JDBC
 * batches), {@code UsageReads}, {@code RollupWriter} and {@code UsagePurge} (retention deletes and
 * the purge).
 *
 * <p>Thread-safe; several application instances may share one database. Database failures surface
 * as Jdbi's unchecked {@link org.jdbi.v3.core.JdbiException}.
 */
public final class JdbcUsageStore implements UsageStore {
  /** The module name of the metering migrations. */
  public static final String MODULE = "metering";

  /** Migrations on both databases. */
  public static final String COMMON_LOCATION = "classpath:dev/tenantkit/metering/db/common";

  /** Migrations of one database only. */
  public static final String VENDOR_LOCATION = "classpath:dev/tenantkit/metering/db/{vendor}";

  private final JdbcStorage storage;
  private final JobLeases leases;
  // Exactly one of the two appenders, by dialect.
  private final PostgresAppend postgresAppend;
  private final H2Append h2Append;
  private final UsageReads reads;
  private final RollupWriter rollupWriter;
  private final UsagePurge purges;

  private JdbcUsageStore(JdbcStorage storage) {
    boolean postgres = storage.dialect() == Dialect.POSTGRESQL;
    this.storage = storage;
    this.leases = JdbcJobLeases.of(storage);
    this.postgresAppend = postgres ? new PostgresAppend(storage) : null;
    this.h2Append = postgres ? null : new H2Append(storage);
    this.reads = new UsageReads(storage);
    this.rollupWriter = new RollupWriter(storage, postgres);
    this.purges = new UsagePurge(storage);
  }

  /**
   * A builder over {@code dataSource}.
   *
   * @param dataSource an H2 (PostgreSQL mode) or PostgreSQL data source, usually a pool
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /** The storage this store runs on. */
  public JdbcStorage storage() {
    return storage;
  }

  @Override
  public List<AppendResult> append(List<NewEvent> events) {
    Map<TenantId, List<Integer>> byTenant = new LinkedHashMap<>();
    for (int i = 0; i < events.size(); i++) {
      byTenant.computeIfAbsent(events.get(i).event().tenantId(), t -> new ArrayList<>()).add(i);
    }
    AppendResult[] results = new AppendResult[events.size()];
    if (postgresAppend != null) {
      postgresAppend.append(byTenant, events, results);
    } else {
      h2Append.append(byTenant, events, results);
    }
    return List.of(results);
  }

  @Override
  public void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {
    reads.scan(tenantId, meter, from, to, sink);
  }

  @Override
  public List<RecordedEvent> eventsInTimeOrder(
      TenantId tenantId,
      String meter,
      Instant from,
      Instant to,
      Instant afterAt,
      long afterId,
      int limit) {
    return reads.eventsInTimeOrder(tenantId, meter, from, to, afterAt, afterId, limit);
  }

  @Override
  public Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    return reads.firstEventAt(tenantId, notBefore);
  }

  @Override
  public List<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    return reads.events(tenantId, filter, beforeId, limit);
  }

  @Override
  public TenantMarks marks(TenantId tenantId) {
    return reads.marks(tenantId);
  }

  @Override
  public List<TenantMarks> tenants() {
    return reads.tenants();
  }

  @Override
  public List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    return reads.rollups(tenantId, meter, granularity, from, to, dimension);
  }

  @Override
  public void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {
    rollupWriter.writeRollups(tenantId, rows, rolledUpTo);
  }

  @Override
  public long deleteEvents(TenantId tenantId, Instant before) {
    return purges.deleteEvents(tenantId, before);
  }

  @Override
  public long deleteRollups(TenantId tenantId, Instant before) {
    return purges.deleteRollups(tenantId, before);
  }

  @Override
  public long deleteKeys(TenantId tenantId, Instant recordedBefore) {
    return purges.deleteKeys(tenantId, recordedBefore);
  }

  @Override
  public void purge(TenantId tenantId) {
    purges.purge(tenantId);
  }

  @Override
  public JobLeases jobLeases() {
    return leases;
  }

  /**
   * Builder of {@link JdbcUsageStore}: the options of {@link JdbcStoreBuilder} (the migrate switch
   * applies tenancy's migrations, then module {@value JdbcUsageStore#MODULE}). Not thread-safe.
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
     * @throws FlywayException if a migration fails
     */
    public JdbcUsageStore build() {
      return new JdbcUsageStore(storage());
    }
  }
}
