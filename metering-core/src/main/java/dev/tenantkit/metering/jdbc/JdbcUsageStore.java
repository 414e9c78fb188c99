package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.internal.Json;
import dev.tenantkit.metering.internal.Quantities;
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
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.flywaydb.core.api.FlywayException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatement;

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

  // The PostgreSQL statements that append one tenant's events. The events travel as one array per
  // column (a fixed number of parameters whatever the batch size), sent in binary so the server
  // does not parse array literals. Their recording instant, one for the whole batch as the core
  // writes them, is a single parameter unless the events differ in it. Each statement also
  // registers the tenant for the rollup job.
  private static final String[] ARRAY_PARAMETERS = {
    "keys",
    "hashes",
    "meters",
    "timestamps",
    "quantities",
    "dimensions",
    "properties",
    "users",
    "sources"
  };
  private static final String REGISTER_TENANT =
      " r as (insert into tenantkit_metering_tenants (tenant_id) values (:tenant)"
          + " on conflict do nothing),";
  private static final String INSERT_KEYS =
      "insert into tenantkit_metering_keys (tenant_id, idempotency_key, payload_hash, recorded_at)";
  private static final String INSERT_EVENTS =
      "insert into tenantkit_metering_events (tenant_id, meter, ts, quantity, idempotency_key,"
          + " dimensions, properties, user_id, source, recorded_at)";
  private static final String EVENT_ARRAYS =
      "cast(:keys as varchar[]), cast(:meters as varchar[]),"
          + " cast(cast(:timestamps as varchar[]) as timestamptz[]),"
          + " cast(cast(:quantities as varchar[]) as numeric[]), cast(:dimensions as varchar[]),"
          + " cast(:properties as varchar[]), cast(:users as varchar[]),"
          + " cast(:sources as varchar[])";
  private static final String EVENT_NAMES =
      "idempotency_key, meter, ts, quantity, dimensions, properties, user_id, source";
  private static final String RECORDED_ARRAY =
      ", cast(cast(:recorded as varchar[]) as timestamptz[])";
  private static final String RECORDED_ONE = "cast(:recorded as timestamptz)";
  private static final String APPEND_NEW_KEYS_ONE_INSTANT = appendNewKeysSql(true);
  private static final String APPEND_NEW_KEYS_INSTANTS = appendNewKeysSql(false);
  private static final String APPEND_EXACT_ONE_INSTANT = appendExactSql(true);
  private static final String APPEND_EXACT_INSTANTS = appendExactSql(false);
  private static final int FETCH = 1_000;
  private static final String EVENT_COLUMNS =
      "id, meter, ts, quantity, idempotency_key, dimensions, properties, user_id, source,"
          + " recorded_at";

  /**
   * Plain inserts of keys and events, each from its own pass over the arrays (the keys need two of
   * them), with no check for taken keys: a taken key fails the statement.
   */
  private static String appendNewKeysSql(boolean oneInstant) {
    String recordedArray = oneInstant ? "" : RECORDED_ARRAY;
    String recordedName = oneInstant ? "" : ", recorded_at";
    return "with"
        + REGISTER_TENANT
        + " k as ("
        + INSERT_KEYS
        + " select :tenant, k.idempotency_key, k.payload_hash, "
        + (oneInstant ? RECORDED_ONE : "k.recorded_at")
        + " from unnest(cast(:keys as varchar[]), cast(:hashes as varchar[])"
        + recordedArray
        + ") as k(idempotency_key, payload_hash"
        + recordedName
        + ")) "
        + INSERT_EVENTS
        + " select :tenant, u.meter, u.ts, u.quantity, u.idempotency_key, u.dimensions,"
        + " u.properties, u.user_id, u.source, "
        + (oneInstant ? RECORDED_ONE : "u.recorded_at")
        + " from unnest("
        + EVENT_ARRAYS
        + recordedArray
        + ") with ordinality as u("
        + EVENT_NAMES
        + recordedName
        + ", ord) order by u.ord";
  }

  /**
   * Keys inserted with {@code on conflict do nothing}, the events of the keys that went in, and the
   * positions (from 1) of the taken keys as the result.
   */
  private static String appendExactSql(boolean oneInstant) {
    String recorded = oneInstant ? RECORDED_ONE : "i.recorded_at";
    return "with input as (select * from unnest("
        + EVENT_ARRAYS
        + ", cast(:hashes as varchar[])"
        + (oneInstant ? "" : RECORDED_ARRAY)
        + ") with ordinality as u("
        + EVENT_NAMES
        + ", payload_hash"
        + (oneInstant ? "" : ", recorded_at")
        + ", ord)),"
        + REGISTER_TENANT
        + " k as ("
        + INSERT_KEYS
        + " select :tenant, i.idempotency_key, i.payload_hash, "
        + recorded
        + " from input i on conflict do nothing returning idempotency_key),"
        + " e as ("
        + INSERT_EVENTS
        + " select :tenant, i.meter, i.ts, i.quantity, i.idempotency_key, i.dimensions,"
        + " i.properties, i.user_id, i.source, "
        + recorded
        + " from input i join k on k.idempotency_key = i.idempotency_key order by i.ord)"
        + " select i.ord from input i"
        + " where not exists (select 1 from k where k.idempotency_key = i.idempotency_key)";
  }

  private final JdbcStorage storage;
  private final JobLeases leases;
  private final boolean postgres;

  /**
   * Whether the next PostgreSQL batch is written assuming no key is taken ({@link #appendNewKeys}).
   * Cleared when that fails on a taken key, set again by a batch written exactly without one: a
   * stream of retried events costs one wasted attempt, not one per batch. A hint only, so a plain
   * volatile: a stale value costs speed, never correctness.
   */
  private volatile boolean expectNewKeys = true;

  private JdbcUsageStore(JdbcStorage storage) {
    this.storage = storage;
    this.leases = JdbcJobLeases.of(storage);
    this.postgres = storage.dialect() == Dialect.POSTGRESQL;
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
    if (postgres && expectNewKeys) {
      try {
        storage.useTransaction(
            h -> {
              for (Map.Entry<TenantId, List<Integer>> group : byTenant.entrySet()) {
                storage.bindTenant(h, group.getKey());
                appendNewKeys(h, group.getKey(), new TenantRows(group.getValue(), events), results);
              }
            });
        return List.of(results);
      } catch (JdbiException e) {
        if (!JdbcStorage.isUniqueViolation(e)) {
          throw e;
        }
        // A key was taken after all; the transaction rolled back, and the batch goes again below.
        expectNewKeys = false;
      }
    }
    storage.useTransaction(
        h -> {
          boolean anyTaken = false;
          for (Map.Entry<TenantId, List<Integer>> group : byTenant.entrySet()) {
            TenantId tenant = group.getKey();
            // One transaction for the whole batch; row-level security follows the tenant switch.
            if (postgres) {
              // The statement joins the input with the keys that went in. The generic plan a
              // prepared statement ends up with cannot see the arrays' length and plans for ten
              // rows, with nested loops that are quadratic in the batch; a custom plan sees it.
              h.select(
                      "select set_config(?, ?, true), set_config('plan_cache_mode',"
                          + " 'force_custom_plan', true)",
                      JdbcStorage.TENANT_SETTING,
                      tenant.value())
                  .mapTo(String.class)
                  .one();
              anyTaken |= appendExact(h, tenant, new TenantRows(group.getValue(), events), results);
            } else {
              registerTenant(h, tenant);
              appendBatched(h, tenant, group.getValue(), events, results);
            }
          }
          if (postgres && !anyTaken) {
            expectNewKeys = true;
          }
        });
    return List.of(results);
  }

  /**
   * One tenant's events on PostgreSQL when no key is expected to be taken: one plain insert of the
   * keys and one of the events in one statement, with no check for taken keys (which costs as much
   * as writing the key). A taken key then breaks the keys' primary key: the statement fails with a
   * unique violation, the whole transaction rolls back, and {@link #append} writes the batch again
   * with {@link #appendExact}. Generated keys are never taken; the keys of callers rarely are.
   */
  private static void appendNewKeys(
      Handle h, TenantId tenant, TenantRows rows, AppendResult[] results) {
    String sql = rows.oneInstant() ? APPEND_NEW_KEYS_ONE_INSTANT : APPEND_NEW_KEYS_INSTANTS;
    rows.bind(h.createUpdate(sql), tenant).execute();
    for (int i : rows.distinct) {
      results[i] = AppendResult.stored();
    }
    rows.settleRepeats(results);
  }

  /**
   * One tenant's events on PostgreSQL, taken keys included: the keys are inserted with {@code on
   * conflict do nothing}, the events of the keys that went in follow in the same statement, and the
   * positions of taken keys come back. Their hashes are read by a second statement, which (unlike
   * the first, whose snapshot predates it) also sees a key that a concurrent transaction committed
   * while ours waited on it.
   *
   * @return whether a key was taken
   */
  private static boolean appendExact(
      Handle h, TenantId tenant, TenantRows rows, AppendResult[] results) {
    List<Integer> taken =
        rows.bind(
                h.createQuery(rows.oneInstant() ? APPEND_EXACT_ONE_INSTANT : APPEND_EXACT_INSTANTS),
                tenant)
            .map((rs, ctx) -> rows.distinct.get(rs.getInt(1) - 1))
            .list();
    for (int i : rows.distinct) {
      results[i] = AppendResult.stored();
    }
    if (!taken.isEmpty()) {
      Map<String, String> stored = storedHashes(h, tenant, taken, rows.events);
      for (int i : taken) {
        results[i] = AppendResult.keyTaken(stored(stored, rows.events.get(i)));
      }
    }
    rows.settleRepeats(results);
    return !taken.isEmpty();
  }

  /** The hashes under the keys of {@code taken}, in a statement of its own (a fresh snapshot). */
  private static Map<String, String> storedHashes(
      Handle h, TenantId tenant, List<Integer> taken, List<NewEvent> events) {
    Object[] keys = new Object[taken.size()];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = events.get(taken.get(k)).event().idempotencyKey();
    }
    Map<String, String> hashes = new HashMap<>();
    h.createQuery(
            "select idempotency_key, payload_hash from tenantkit_metering_keys"
                + " where tenant_id = ? and idempotency_key = any(?)")
        .bind(0, tenant.value())
        .bindArray(1, String.class, keys)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> hashes.put(e.getKey(), e.getValue()));
    return hashes;
  }

  private static String stored(Map<String, String> hashes, NewEvent event) {
    String hash = hashes.get(event.event().idempotencyKey());
    if (hash == null) {
      throw new IllegalStateException("an idempotency key vanished inside a transaction");
    }
    return hash;
  }

  /**
   * One tenant's events of a batch for the PostgreSQL statements: each key once (a repeat inside
   * the batch is settled against its first occurrence, which alone is sent), as one array per
   * column, and their recording instant, once if they share it.
   */
  private static final class TenantRows {
    final List<NewEvent> events;
    final List<Integer> distinct;
    private final List<Integer> repeats = new ArrayList<>();
    private final Map<String, Integer> firstOf = new HashMap<>();
    private final String[][] columns;
    private final String oneRecordedAt;
    private final String[] recordedAt;

    TenantRows(List<Integer> indexes, List<NewEvent> events) {
      this.events = events;
      this.distinct = new ArrayList<>(indexes.size());
      for (int i : indexes) {
        if (firstOf.putIfAbsent(events.get(i).event().idempotencyKey(), i) == null) {
          distinct.add(i);
        } else {
          repeats.add(i);
        }
      }
      int n = distinct.size();
      columns = new String[ARRAY_PARAMETERS.length][n];
      String[] recorded = new String[n];
      Instant lastRecorded = null;
      boolean oneInstant = true;
      for (int j = 0; j < n; j++) {
        NewEvent ne = events.get(distinct.get(j));
        UsageEvent e = ne.event();
        // A batch is usually recorded at one instant: format it once.
        if (!ne.recordedAt().equals(lastRecorded)) {
          oneInstant &= lastRecorded == null;
          lastRecorded = ne.recordedAt();
          recorded[j] = lastRecorded.toString();
        } else {
          recorded[j] = recorded[j - 1];
        }
        columns[0][j] = e.idempotencyKey();
        columns[1][j] = ne.payloadHash();
        columns[2][j] = e.meter();
        columns[3][j] = e.timestamp().toString();
        columns[4][j] = e.quantity().toPlainString();
        columns[5][j] = json(e.dimensions());
        columns[6][j] = json(e.properties());
        columns[7][j] = e.userId();
        columns[8][j] = e.source();
      }
      this.oneRecordedAt = oneInstant && n > 0 ? recorded[0] : null;
      this.recordedAt = oneRecordedAt == null ? recorded : null;
    }

    /** Whether the events share one recording instant, bound as one parameter. */
    boolean oneInstant() {
      return oneRecordedAt != null;
    }

    /** Binds the tenant, the arrays (in binary) and the recording instant or instants. */
    <S extends SqlStatement<S>> S bind(S statement, TenantId tenant) {
      statement.bind("tenant", tenant.value());
      for (int c = 0; c < ARRAY_PARAMETERS.length; c++) {
        statement.bind(ARRAY_PARAMETERS[c], binaryArray(columns[c]));
      }
      return oneInstant()
          ? statement.bind("recorded", oneRecordedAt)
          : statement.bind("recorded", binaryArray(recordedAt));
    }

    /**
     * A {@code varchar[]} parameter that the PostgreSQL driver sends in binary (it does so for a
     * {@code String[]} given to {@code setObject}), rather than as an array literal that the server
     * parses character by character.
     */
    private static Argument binaryArray(String[] values) {
      return (position, statement, ctx) -> statement.setObject(position, values);
    }

    /** Settles the repeats once the first occurrences have their results. */
    void settleRepeats(AppendResult[] results) {
      for (int i : repeats) {
        int first = firstOf.get(events.get(i).event().idempotencyKey());
        String hash =
            results[first].inserted()
                ? events.get(first).payloadHash()
                : results[first].storedHash();
        results[i] = AppendResult.keyTaken(hash);
      }
    }

    private static String json(Map<String, String> map) {
      return map.isEmpty() ? "{}" : Json.write(map);
    }
  }

  /** One tenant's events on H2: a JDBC batch of keys, then one of the events whose key was new. */
  private void appendBatched(
      Handle h,
      TenantId tenant,
      List<Integer> indexes,
      List<NewEvent> events,
      AppendResult[] results) {
    PreparedBatch keys =
        h.prepareBatch(
            "insert into tenantkit_metering_keys"
                + " (tenant_id, idempotency_key, payload_hash, recorded_at)"
                + " values (?, ?, ?, ?) on conflict do nothing");
    for (int i : indexes) {
      NewEvent n = events.get(i);
      keys.add(tenant.value(), n.event().idempotencyKey(), n.payloadHash(), n.recordedAt());
    }
    int[] inserted = keys.execute();
    List<Integer> taken = new ArrayList<>();
    PreparedBatch rows =
        h.prepareBatch(
            "insert into tenantkit_metering_events (tenant_id, meter, ts, quantity,"
                + " idempotency_key, dimensions, properties, user_id, source, recorded_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (int k = 0; k < indexes.size(); k++) {
      int i = indexes.get(k);
      if (inserted[k] == 0) {
        taken.add(i);
        continue;
      }
      NewEvent n = events.get(i);
      UsageEvent e = n.event();
      rows.add(
          tenant.value(),
          e.meter(),
          e.timestamp(),
          e.quantity(),
          e.idempotencyKey(),
          Json.write(e.dimensions()),
          Json.write(e.properties()),
          e.userId(),
          e.source(),
          n.recordedAt());
      results[i] = AppendResult.stored();
    }
    if (rows.size() > 0) {
      rows.execute();
    }
    if (!taken.isEmpty()) {
      Map<String, String> hashes = new HashMap<>();
      List<String> keysTaken =
          taken.stream().map(i -> events.get(i).event().idempotencyKey()).toList();
      h.createQuery(
              "select idempotency_key, payload_hash from tenantkit_metering_keys"
                  + " where tenant_id = :t and idempotency_key in (<keys>)")
          .bind("t", tenant.value())
          .bindList("keys", keysTaken)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
          .forEach(e -> hashes.put(e.getKey(), e.getValue()));
      for (int i : taken) {
        String hash = hashes.get(events.get(i).event().idempotencyKey());
        if (hash == null) {
          throw new IllegalStateException("an idempotency key vanished inside a transaction");
        }
        results[i] = AppendResult.keyTaken(hash);
      }
    }
  }

  @Override
  public void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {
    storage.useTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(
                      "select "
                          + EVENT_COLUMNS
                          + " from tenantkit_metering_events where tenant_id = :t"
                          + (meter == null ? "" : " and meter = :m")
                          + " and ts >= :from and ts < :to")
                  .bind("t", tenantId.value())
                  .bind("from", from)
                  .bind("to", to)
                  .setFetchSize(FETCH);
          if (meter != null) {
            q.bind("m", meter);
          }
          q.map((rs, ctx) -> event(tenantId, rs)).forEach(sink);
        });
  }

  @Override
  public Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select min(ts) from tenantkit_metering_events"
                        + " where tenant_id = ? and ts >= ?")
                .bind(0, tenantId.value())
                .bind(1, notBefore)
                .mapTo(Instant.class)
                .findOne());
  }

  @Override
  public List<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    StringBuilder sql =
        new StringBuilder("select ")
            .append(EVENT_COLUMNS)
            .append(" from tenantkit_metering_events where tenant_id = :t and id < :before");
    if (filter.meter() != null) {
      sql.append(" and meter = :meter");
    }
    if (filter.range() != null) {
      sql.append(" and ts >= :from and ts < :to");
    }
    if (filter.userId() != null) {
      sql.append(" and user_id = :user");
    }
    if (filter.source() != null) {
      sql.append(" and source = :source");
    }
    sql.append(" order by id desc limit :limit");
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(sql.toString())
                  .bind("t", tenantId.value())
                  .bind("before", beforeId)
                  .bind("limit", limit);
          if (filter.meter() != null) {
            q.bind("meter", filter.meter());
          }
          if (filter.range() != null) {
            q.bind("from", filter.range().from()).bind("to", filter.range().to());
          }
          if (filter.userId() != null) {
            q.bind("user", filter.userId());
          }
          if (filter.source() != null) {
            q.bind("source", filter.source());
          }
          return q.map((rs, ctx) -> event(tenantId, rs)).list();
        });
  }

  @Override
  public TenantMarks marks(TenantId tenantId) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            h.createQuery(
                    "select rolled_up_to, raw_events_from from tenantkit_metering_tenants"
                        + " where tenant_id = ?")
                .bind(0, tenantId.value())
                .map(
                    (rs, ctx) ->
                        new TenantMarks(
                            tenantId, instant(rs, "rolled_up_to"), instant(rs, "raw_events_from")))
                .findOne()
                .orElse(TenantMarks.none(tenantId)));
  }

  @Override
  public List<TenantMarks> tenants() {
    return storage.inAllTenantsTransaction(
        h ->
            h.createQuery(
                    "select tenant_id, rolled_up_to, raw_events_from from tenantkit_metering_tenants"
                        + " order by tenant_id")
                .map(
                    (rs, ctx) ->
                        new TenantMarks(
                            new TenantId(rs.getString("tenant_id")),
                            instant(rs, "rolled_up_to"),
                            instant(rs, "raw_events_from")))
                .list());
  }

  @Override
  public List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    String sql =
        "select * from tenantkit_metering_rollups where tenant_id = :t"
            + (meter == null ? "" : " and meter = :meter")
            + " and granularity = :g and bucket_start >= :from and bucket_start < :to"
            + (dimension == null ? "" : " and dimension = :dim");
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          Query q =
              h.createQuery(sql)
                  .bind("t", tenantId.value())
                  .bind("g", granularity.name())
                  .bind("from", from)
                  .bind("to", to)
                  .setFetchSize(FETCH);
          if (meter != null) {
            q.bind("meter", meter);
          }
          if (dimension != null) {
            q.bind("dim", dimension);
          }
          return q.map((rs, ctx) -> rollup(tenantId, rs)).list();
        });
  }

  @Override
  public void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {
    for (Rollup r : rows) {
      if (!r.tenantId().equals(tenantId)) {
        throw new IllegalArgumentException("a rollup row of another tenant");
      }
    }
    String upsert =
        postgres
            ? "insert into tenantkit_metering_rollups (tenant_id, meter, granularity, bucket_start,"
                + " dimension, dimension_value, event_count, quantity_sum, quantity_max, latest_at,"
                + " latest_id, latest_value, users, sketch)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " on conflict (tenant_id, meter, granularity, bucket_start, dimension,"
                + " dimension_value) do update set event_count = excluded.event_count,"
                + " quantity_sum = excluded.quantity_sum, quantity_max = excluded.quantity_max,"
                + " latest_at = excluded.latest_at, latest_id = excluded.latest_id,"
                + " latest_value = excluded.latest_value, users = excluded.users,"
                + " sketch = excluded.sketch"
            : "merge into tenantkit_metering_rollups (tenant_id, meter, granularity, bucket_start,"
                + " dimension, dimension_value, event_count, quantity_sum, quantity_max, latest_at,"
                + " latest_id, latest_value, users, sketch)"
                + " key (tenant_id, meter, granularity, bucket_start, dimension, dimension_value)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    storage.useTenantTransaction(
        tenantId,
        h -> {
          // Locks the tenant's marks row against a concurrent purge, which deletes it first. No
          // row: the tenant was purged since the job listed it, and its rollups must not return.
          if (h.createQuery(
                  "select tenant_id from tenantkit_metering_tenants where tenant_id = ? for update")
              .bind(0, tenantId.value())
              .mapTo(String.class)
              .findOne()
              .isEmpty()) {
            return;
          }
          if (!rows.isEmpty()) {
            PreparedBatch batch = h.prepareBatch(upsert);
            for (Rollup r : rows) {
              batch.add(
                  tenantId.value(),
                  r.meter(),
                  r.granularity().name(),
                  r.bucketStart(),
                  r.dimension(),
                  r.dimensionValue(),
                  r.count(),
                  r.sum(),
                  r.max(),
                  r.latestAt(),
                  r.latestId(),
                  r.latestValue(),
                  r.users(),
                  r.sketch());
            }
            batch.execute();
          }
          h.createUpdate(
                  "update tenantkit_metering_tenants set rolled_up_to = ? where tenant_id = ?"
                      + " and (rolled_up_to is null or rolled_up_to < ?)")
              .bind(0, rolledUpTo)
              .bind(1, tenantId.value())
              .bind(2, rolledUpTo)
              .execute();
        });
  }

  @Override
  public long deleteEvents(TenantId tenantId, Instant before) {
    return storage.inTenantTransaction(
        tenantId,
        h -> {
          // The marks row before the events, the order purge and writeRollups lock them in.
          h.createUpdate(
                  "update tenantkit_metering_tenants set raw_events_from = ? where tenant_id = ?"
                      + " and (raw_events_from is null or raw_events_from < ?)")
              .bind(0, before)
              .bind(1, tenantId.value())
              .bind(2, before)
              .execute();
          return (long)
              h.createUpdate("delete from tenantkit_metering_events where tenant_id = ? and ts < ?")
                  .bind(0, tenantId.value())
                  .bind(1, before)
                  .execute();
        });
  }

  @Override
  public long deleteRollups(TenantId tenantId, Instant before) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            (long)
                h.createUpdate(
                        "delete from tenantkit_metering_rollups where tenant_id = ?"
                            + " and bucket_start < ?")
                    .bind(0, tenantId.value())
                    .bind(1, before)
                    .execute());
  }

  @Override
  public long deleteKeys(TenantId tenantId, Instant recordedBefore) {
    return storage.inTenantTransaction(
        tenantId,
        h ->
            (long)
                h.createUpdate(
                        "delete from tenantkit_metering_keys where tenant_id = ?"
                            + " and recorded_at < ?")
                    .bind(0, tenantId.value())
                    .bind(1, recordedBefore)
                    .execute());
  }

  @Override
  public void purge(TenantId tenantId) {
    storage.useTenantTransaction(
        tenantId,
        h -> {
          // The marks row first: its lock makes a concurrent writeRollups of this tenant either
          // finish before (its rows are then deleted here) or find no row and write nothing.
          for (String table : List.of("tenants", "events", "keys", "rollups")) {
            h.createUpdate("delete from tenantkit_metering_" + table + " where tenant_id = ?")
                .bind(0, tenantId.value())
                .execute();
          }
        });
  }

  @Override
  public JobLeases jobLeases() {
    return leases;
  }

  private static void registerTenant(Handle h, TenantId tenant) {
    h.createUpdate(
            "insert into tenantkit_metering_tenants (tenant_id) values (?) on conflict do nothing")
        .bind(0, tenant.value())
        .execute();
  }

  private static RecordedEvent event(TenantId tenant, ResultSet rs) throws SQLException {
    UsageEvent e =
        new UsageEvent(
            tenant,
            rs.getString("meter"),
            Quantities.normalize(rs.getBigDecimal("quantity")),
            instant(rs, "ts"),
            rs.getString("idempotency_key"),
            Json.read(rs.getString("dimensions")),
            Json.read(rs.getString("properties")),
            rs.getString("user_id"),
            rs.getString("source"));
    return new RecordedEvent(rs.getLong("id"), e, instant(rs, "recorded_at"));
  }

  private static Rollup rollup(TenantId tenant, ResultSet rs) throws SQLException {
    return new Rollup(
        tenant,
        rs.getString("meter"),
        Granularity.valueOf(rs.getString("granularity")),
        instant(rs, "bucket_start"),
        rs.getString("dimension"),
        rs.getString("dimension_value"),
        rs.getLong("event_count"),
        decimal(rs, "quantity_sum"),
        decimal(rs, "quantity_max"),
        instant(rs, "latest_at"),
        rs.getLong("latest_id"),
        decimal(rs, "latest_value"),
        rs.getBytes("users"),
        rs.getBytes("sketch"));
  }

  private static BigDecimal decimal(ResultSet rs, String column) throws SQLException {
    return Quantities.normalize(rs.getBigDecimal(column));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
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
