package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Allowance units taken from the store in blocks and spent locally, so that most consumptions need
 * no round trip to a shared database.
 *
 * <p>The store's counter counts leased units, so it never passes the ceiling and the instances
 * together never admit more than the limit. The cost: units one instance leased but has not spent
 * are counted as used for everyone else, at most {@code block - 1} per instance and tenant and
 * limit (a block is leased only for a request that spends at least one unit of it at once); they
 * are lost when the period ends or the process stops. If an override lowers the limit within a
 * period, an instance may still spend what it leased before: at most {@code block - 1} over the new
 * limit per instance.
 *
 * <p>Thread-safe: each (tenant, limit) lease is guarded by its own monitor, held across the store
 * call that refills it so that two threads never lease two blocks at once.
 */
final class AllowanceLeases {
  private final long block;
  private final ConcurrentHashMap<TenantId, ConcurrentHashMap<String, Lease>> leases =
      new ConcurrentHashMap<>();

  AllowanceLeases(long block) {
    this.block = block;
  }

  /**
   * The outcome of {@link #tryAdd}.
   *
   * @param result usage as this instance sees it (the store's counter minus what this instance
   *     still holds), or {@link QuotaStore#rejected} of it
   * @param leasedFrom the store's counter before a block was leased by this call, or -1 if none was
   * @param leasedTo the store's counter after that block
   */
  record Taken(long result, long leasedFrom, long leasedTo) {}

  Taken tryAdd(
      QuotaStore store, TenantId tenant, String limit, long period, long amount, long ceiling) {
    Lease l = lease(tenant, limit);
    synchronized (l) {
      if (period < l.period) {
        // A caller still in the previous period, a moment after the boundary: no lease for it.
        return new Taken(store.tryAdd(tenant, limit, period, amount, ceiling), -1, -1);
      }
      if (period > l.period) {
        l.period = period;
        l.local = 0;
        l.leasedUpTo = 0;
      }
      if (amount <= l.local) {
        l.local -= amount;
        return new Taken(l.leasedUpTo - l.local, -1, -1);
      }
      long need = amount - l.local;
      long take = Math.max(block, need);
      long r = store.tryAdd(tenant, limit, period, take, ceiling);
      if (QuotaStore.isRejected(r) && take > need) {
        // Not a whole block left: lease what is left, if that covers the request.
        long room = ceiling - QuotaStore.current(r);
        if (room >= need) {
          take = Math.min(room, take);
          r = store.tryAdd(tenant, limit, period, take, ceiling);
        }
      }
      if (QuotaStore.isRejected(r)) {
        return new Taken(QuotaStore.rejected(QuotaStore.current(r) - l.local), -1, -1);
      }
      l.leasedUpTo = r;
      l.local = take - need;
      return new Taken(r - l.local, r - take, r);
    }
  }

  /** Units this instance has leased in {@code period} and not spent. */
  long unspent(TenantId tenant, String limit, long period) {
    ConcurrentHashMap<String, Lease> byLimit = leases.get(tenant);
    Lease l = byLimit == null ? null : byLimit.get(limit);
    if (l == null) {
      return 0;
    }
    synchronized (l) {
      return l.period == period ? l.local : 0;
    }
  }

  /** Drops the tenant's leases (its state was purged). */
  void forget(TenantId tenant) {
    leases.remove(tenant);
  }

  private Lease lease(TenantId tenant, String limit) {
    return leases
        .computeIfAbsent(tenant, t -> new ConcurrentHashMap<>())
        .computeIfAbsent(limit, l -> new Lease());
  }

  private static final class Lease {
    long period = Long.MIN_VALUE;
    long local;
    long leasedUpTo;
  }
}
