package dev.tenantkit.metering.jdbc;

import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Writes the rollup job's rows and moves its mark, serialised with a purge of the same tenant by
 * the lock on the tenant's marks row. Thread-safe.
 */
final class RollupWriter {
  private final JdbcStorage storage;
  private final boolean postgres;

  RollupWriter(JdbcStorage storage, boolean postgres) {
    this.storage = storage;
    this.postgres = postgres;
  }

  void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {
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
}
