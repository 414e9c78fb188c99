package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.internal.Json;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Appends batches of usage events on H2: per tenant a JDBC batch of keys with {@code on conflict do
 * nothing}, then one of the events whose key went in. Thread-safe.
 */
final class H2Append {
  private final JdbcStorage storage;

  H2Append(JdbcStorage storage) {
    this.storage = storage;
  }

  /**
   * Appends {@code events}, grouped by tenant in {@code byTenant} (positions in {@code events}), in
   * one transaction, filling {@code results} by position.
   */
  void append(
      Map<TenantId, List<Integer>> byTenant, List<NewEvent> events, AppendResult[] results) {
    storage.useTransaction(
        h -> {
          for (Map.Entry<TenantId, List<Integer>> group : byTenant.entrySet()) {
            registerTenant(h, group.getKey());
            appendBatched(h, group.getKey(), group.getValue(), events, results);
          }
        });
  }

  /** One tenant's events on H2: a JDBC batch of keys, then one of the events whose key was new. */
  private static void appendBatched(
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

  private static void registerTenant(Handle h, TenantId tenant) {
    h.createUpdate(
            "insert into tenantkit_metering_tenants (tenant_id) values (?) on conflict do nothing")
        .bind(0, tenant.value())
        .execute();
  }
}
