package dev.tenantkit.metering.jdbc;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.time.Instant;
import java.util.List;

/**
 * The deletes of {@link JdbcUsageStore}: retention of raw events, rollups and idempotency keys, and
 * the purge of everything a tenant has, each in the tenant's own transaction. Every delete that
 * touches the marks row locks it first, in the order {@link RollupWriter} does. Thread-safe.
 */
final class UsagePurge {
  private final JdbcStorage storage;

  UsagePurge(JdbcStorage storage) {
    this.storage = storage;
  }

  long deleteEvents(TenantId tenantId, Instant before) {
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

  long deleteRollups(TenantId tenantId, Instant before) {
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

  long deleteKeys(TenantId tenantId, Instant recordedBefore) {
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

  void purge(TenantId tenantId) {
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
}
