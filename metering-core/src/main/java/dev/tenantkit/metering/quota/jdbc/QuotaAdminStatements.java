package dev.tenantkit.metering.quota.jdbc;

import static dev.tenantkit.metering.quota.jdbc.CellStatements.LIMIT_KEY;
import static dev.tenantkit.metering.quota.jdbc.CellStatements.requireNonNegative;

import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link JdbcQuotaStore} does besides decisions, each in one tenant transaction: threshold
 * marks, overrides, and the purge of a tenant's rows. A change of an override here makes this
 * instance's cells read it again ({@link QuotaCells#forgetOverrides}). Thread-safe.
 */
final class QuotaAdminStatements {
  private final JdbcStorage storage;
  private final boolean postgres;
  private final QuotaCells cells;

  QuotaAdminStatements(JdbcStorage storage, boolean postgres, QuotaCells cells) {
    this.storage = storage;
    this.postgres = postgres;
    this.cells = cells;
  }

  /** See {@link QuotaStore#markThreshold}. */
  boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
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

  /** See {@link QuotaStore#overrides}. */
  Map<String, Long> overrides(TenantId tenant) {
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

  /** See {@link QuotaStore#putOverride}. */
  void putOverride(TenantId tenant, String limit, long amount) {
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
    cells.forgetOverrides(tenant, limit);
  }

  /** See {@link QuotaStore#removeOverride}. */
  void removeOverride(TenantId tenant, String limit) {
    storage.useTenantTransaction(
        tenant,
        h ->
            h.createUpdate("delete from tenantkit_quota_overrides" + LIMIT_KEY)
                .bind("t", tenant.value())
                .bind("l", limit)
                .execute());
    cells.forgetOverrides(tenant, limit);
  }

  /** See {@link QuotaStore#purge}. */
  void purge(TenantId tenant) {
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
    cells.forgetOverrides(tenant, null);
  }
}
