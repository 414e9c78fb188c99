package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;

/**
 * Allowance units of one tenant's limit taken from the store in blocks and spent locally, so that
 * most consumptions need no round trip to a shared database.
 *
 * <p>The store's counter counts leased units, so it never passes the ceiling and the instances
 * together never admit more than the limit. The cost: units one instance leased but has not spent
 * are counted as used for everyone else, at most {@code block - 1} per instance and tenant and
 * limit (a block is leased only for a request that spends at least one unit of it at once); they
 * are lost when the period ends or the process stops. A decision spent from a lease uses the
 * override the store's cell last saw, which the store checks each time a block is leased; so if an
 * override lowers the limit within a period, an instance may still spend what it leased before: at
 * most {@code block - 1} over the new limit per instance.
 *
 * <p>Thread-safe: guarded by its own monitor, held across the store call that refills it so that
 * two threads never lease two blocks at once.
 */
final class AllowanceLease {
  private long period = Long.MIN_VALUE;
  private long local;
  private long leasedUpTo;

  /**
   * The outcome of {@link #tryAdd}.
   *
   * @param result usage as this instance sees it (the store's counter minus what this instance
   *     still holds), {@link CellResult#rejected} of it, or {@link CellResult#OVERRIDE_CHANGED}
   * @param leasedFrom the store's counter before a block was leased by this call, or -1 if none was
   * @param leasedTo the store's counter after that block
   */
  record Taken(long result, long leasedFrom, long leasedTo) {}

  synchronized Taken tryAdd(
      QuotaCell cell, long block, long period, long amount, long ceiling, long override) {
    if (period < this.period) {
      // A caller still in the previous period, a moment after the boundary: no lease for it.
      return new Taken(cell.tryAdd(period, amount, ceiling, override), -1, -1);
    }
    if (period > this.period) {
      this.period = period;
      local = 0;
      leasedUpTo = 0;
    }
    if (amount <= local) {
      local -= amount;
      return new Taken(leasedUpTo - local, -1, -1);
    }
    long need = amount - local;
    long take = Math.max(block, need);
    long r = cell.tryAdd(period, take, ceiling, override);
    if (CellResult.isRejected(r) && take > need) {
      // Not a whole block left: lease what is left, if that covers the request.
      long room = ceiling - CellResult.state(r);
      if (room >= need) {
        take = Math.min(room, take);
        r = cell.tryAdd(period, take, ceiling, override);
      }
    }
    if (CellResult.isOverrideChanged(r)) {
      return new Taken(r, -1, -1);
    }
    if (CellResult.isRejected(r)) {
      return new Taken(CellResult.rejected(CellResult.state(r) - local), -1, -1);
    }
    leasedUpTo = r;
    local = take - need;
    return new Taken(r - local, r - take, r);
  }

  /** Units leased in {@code period} and not spent. */
  synchronized long unspent(long period) {
    return this.period == period ? local : 0;
  }
}
