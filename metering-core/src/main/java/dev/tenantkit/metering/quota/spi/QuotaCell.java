package dev.tenantkit.metering.quota.spi;

/**
 * The state of one limit of one tenant in a {@link QuotaStore}: its counters (one per period, or
 * one for a gauge), its token bucket and its override. The enforcer asks the store for a cell once
 * and keeps it, so every decision after the first reaches the state without a lookup by tenant and
 * limit name. Results of the conditional changes are {@link CellResult}s.
 *
 * <p><b>Overrides.</b> {@link #override()} may answer from what the cell last saw instead of asking
 * the backing system: a database store would otherwise spend a round trip per decision on a value
 * that changes a few times a year. The conditional operations make that safe: each takes the
 * override its caller computed the ceiling or bucket from ({@code expectedOverride}) and, if the
 * tenant's override is no longer that value, changes nothing and returns {@link
 * CellResult#OVERRIDE_CHANGED}; the cell then knows the new value, so the caller reads {@link
 * #override()} again and retries. {@link #counter} and {@link #bucket} refresh it as well.
 *
 * <p>Implementations are thread-safe, confined to their tenant, and, when the store is shared by
 * several application instances, atomic across them. Any method may throw a {@link
 * RuntimeException} when the backing system is unreachable.
 */
public interface QuotaCell {

  /**
   * The tenant's override of this limit, or {@link QuotaStore#NO_OVERRIDE}; possibly as last seen
   * by this cell (see the class comment).
   */
  long override();

  /**
   * Atomically adds {@code amount} to the counter of {@code periodStart}, which starts at 0, if the
   * sum is at most {@code ceiling} and the override is still {@code expectedOverride}; otherwise
   * changes nothing.
   *
   * @param periodStart the start of the allowance period in epoch milliseconds; 0 for a gauge
   * @param amount non-negative
   * @param ceiling from 0 to {@link QuotaStore#NO_CEILING}; an amount above it is always rejected
   * @param expectedOverride the override the ceiling was computed from
   * @return a {@link CellResult}: the counter after the add, {@link CellResult#rejected} of its
   *     current value, or {@link CellResult#OVERRIDE_CHANGED}
   */
  long tryAdd(long periodStart, long amount, long ceiling, long expectedOverride);

  /**
   * Atomically subtracts {@code amount} from the counter of {@code periodStart}, stopping at 0.
   *
   * @param amount non-negative
   * @return the counter after the change
   */
  long subtract(long periodStart, long amount);

  /** The counter of {@code periodStart}, 0 if it was never used. */
  long counter(long periodStart);

  /**
   * Atomically takes tokens worth {@code cost} nanoseconds from the bucket, as {@link QuotaStore}
   * describes, if the override is still {@code expectedOverride}; otherwise changes nothing.
   *
   * @param nowNanos the current time in epoch nanoseconds, non-negative
   * @param cost non-negative
   * @param burst at least {@code cost}
   * @param expectedOverride the override the cost and burst were computed from
   * @return a {@link CellResult}: the new {@code tat}, {@link CellResult#rejected} of {@code
   *     max(tat, nowNanos)}, or {@link CellResult#OVERRIDE_CHANGED}
   */
  long tryTake(long nowNanos, long cost, long burst, long expectedOverride);

  /** The bucket's {@code tat}, or {@link QuotaStore#FULL_BUCKET} if it was never used. */
  long bucket();
}
