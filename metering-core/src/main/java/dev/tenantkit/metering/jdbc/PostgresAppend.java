package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;

/**
 * Appends batches of usage events on PostgreSQL: per tenant one statement over arrays of the
 * events' columns, first assuming no key is taken ({@link #appendNewKeys}), else exactly ({@link
 * #appendExact}). The ingestion hot path of {@link JdbcUsageStore}. Thread-safe.
 */
final class PostgresAppend {
  // The PostgreSQL statements that append one tenant's events. The events travel as one array per
  // column (see TenantRows). Their recording instant, one for the whole batch as the core
  // writes them, is a single parameter unless the events differ in it. Each statement also
  // registers the tenant for the rollup job.
  private static final JdbcStorage.LocalSetting CUSTOM_PLANS =
      new JdbcStorage.LocalSetting("plan_cache_mode", "force_custom_plan");
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

  /**
   * Whether the next PostgreSQL batch is written assuming no key is taken ({@link #appendNewKeys}).
   * Cleared when that fails on a taken key, set again by a batch written exactly without one: a
   * stream of retried events costs one wasted attempt, not one per batch. A hint only, so a plain
   * volatile: a stale value costs speed, never correctness.
   */
  private volatile boolean expectNewKeys = true;

  PostgresAppend(JdbcStorage storage) {
    this.storage = storage;
  }

  /**
   * Appends {@code events}, grouped by tenant in {@code byTenant} (positions in {@code events}), in
   * one transaction, filling {@code results} by position.
   */
  void append(
      Map<TenantId, List<Integer>> byTenant, List<NewEvent> events, AppendResult[] results) {
    if (expectNewKeys) {
      try {
        storage.useTransaction(
            h -> {
              for (Map.Entry<TenantId, List<Integer>> group : byTenant.entrySet()) {
                storage.bindTenant(h, group.getKey());
                appendNewKeys(h, group.getKey(), new TenantRows(group.getValue(), events), results);
              }
            });
        return;
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
            // The statement joins the input with the keys that went in. The generic plan a
            // prepared statement ends up with cannot see the arrays' length and plans for ten
            // rows, with nested loops that are quadratic in the batch; a custom plan sees it. The
            // plan setting travels in the tenant switch's statement, so it stays one round trip.
            storage.bindTenant(h, tenant, CUSTOM_PLANS);
            anyTaken |= appendExact(h, tenant, new TenantRows(group.getValue(), events), results);
          }
          if (!anyTaken) {
            expectNewKeys = true;
          }
        });
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
}
