package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link TenantSlot} of every tenant that asked since start or since its purge: a small object
 * per tenant. Thread-safe.
 */
final class TenantSlots {
  private final ConcurrentHashMap<TenantId, TenantSlot> slots = new ConcurrentHashMap<>();
  private final LimitTable table;
  private final QuotaStore store;
  private final boolean perTenantMetrics;

  TenantSlots(LimitTable table, QuotaStore store, boolean perTenantMetrics) {
    this.table = table;
    this.store = store;
    this.perTenantMetrics = perTenantMetrics;
  }

  /** The tenant's slot, made on its first use. */
  TenantSlot slot(TenantId tenant) {
    TenantSlot s = slots.get(tenant);
    return s != null
        ? s
        : slots.computeIfAbsent(tenant, t -> new TenantSlot(t, table, store, perTenantMetrics));
  }

  /** Drops the tenant's slot, with its cells and leases. */
  void forget(TenantId tenant) {
    slots.remove(tenant);
  }
}
