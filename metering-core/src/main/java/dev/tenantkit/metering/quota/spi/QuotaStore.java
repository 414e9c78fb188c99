package dev.tenantkit.metering.quota.spi;

import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Map;

/**
 * Where quota state lives: counters, token buckets, threshold markers and overrides. A store is a
 * small set of atomic primitives; the quota logic (plans, periods, refill, thresholds, decisions)
 * is in the core, so a backend is short and every backend behaves alike. A backend passes {@code
 * QuotaStoreContract} from the test-jar of metering-core.
 *
 * <p><b>Counters</b> back allowances (one counter per period, keyed by the period's start) and
 * gauges (period start 0). <b>Buckets</b> back rate limits in the GCRA form of a token bucket: the
 * state is one number, the "theoretical arrival time" {@code tat} in epoch nanoseconds; a bucket
 * with {@code tat <= now} is full, and taking tokens worth {@code cost} nanoseconds moves it to
 * {@code max(tat, now) + cost}, allowed only while {@code max(tat, now) + cost - now <= burst}.
 * Both primitives are the same conditional add, so each is one atomic step (one SQL statement, one
 * compare-and-set) with no read-then-write race.
 *
 * <p>Results of conditional operations are {@code long}s so the hot path allocates nothing: a value
 * {@code >= 0} is the state after the change; a rejection is encoded as {@link #rejected(long)} of
 * the current state (decode with {@link #current(long)}).
 *
 * <p>Every method is scoped to one tenant and must never read or change another tenant's state.
 * Implementations are thread-safe and, when shared by several application instances, atomic across
 * them. Any method may throw a {@link RuntimeException} when the backing system is unreachable; the
 * enforcer then applies its {@code FailureMode}.
 */
public interface QuotaStore {

  /** What {@link #override} returns when the tenant has no override for the limit. */
  long NO_OVERRIDE = -1;

  /** What {@link #bucket} returns for a bucket never used: full since forever. */
  long FULL_BUCKET = Long.MIN_VALUE;

  /** Encodes a rejection that leaves the state at {@code current} ({@code >= 0}). */
  static long rejected(long current) {
    return -1 - current;
  }

  /** Whether a result of a conditional operation is a rejection. */
  static boolean isRejected(long result) {
    return result < 0;
  }

  /** The state carried by a result: the new state if applied, the unchanged one if rejected. */
  static long current(long result) {
    return result < 0 ? -1 - result : result;
  }

  /**
   * Atomically adds {@code amount} to the counter {@code (tenant, limit, periodStart)}, which
   * starts at 0, if the sum is at most {@code ceiling}; otherwise changes nothing.
   *
   * @param periodStart the start of the allowance period in epoch milliseconds; 0 for a gauge
   * @param amount non-negative
   * @param ceiling non-negative (an amount above it is always rejected); {@link Long#MAX_VALUE} for
   *     no ceiling
   * @return the counter after the add, or {@link #rejected(long)} of its current value
   */
  long tryAdd(TenantId tenant, String limit, long periodStart, long amount, long ceiling);

  /**
   * Atomically subtracts {@code amount} from the counter, stopping at 0.
   *
   * @param amount non-negative
   * @return the counter after the change
   */
  long subtract(TenantId tenant, String limit, long periodStart, long amount);

  /** The counter's value, 0 if it was never used. */
  long counter(TenantId tenant, String limit, long periodStart);

  /**
   * Atomically takes tokens worth {@code cost} nanoseconds from the bucket of {@code (tenant,
   * limit)}: sets {@code tat = max(tat, nowNanos) + cost} if {@code max(tat, nowNanos) + cost -
   * nowNanos <= burst}; otherwise changes nothing. A bucket never used has {@code tat =} {@link
   * #FULL_BUCKET}.
   *
   * @param nowNanos the current time in epoch nanoseconds, non-negative
   * @param cost non-negative
   * @param burst at least {@code cost}
   * @return the new {@code tat}, or {@link #rejected(long)} of {@code max(tat, nowNanos)} (a full
   *     bucket reports {@code nowNanos}, so the encoded state is never negative)
   */
  long tryTake(TenantId tenant, String limit, long nowNanos, long cost, long burst);

  /** The bucket's {@code tat}, or {@link #FULL_BUCKET} if it was never used. */
  long bucket(TenantId tenant, String limit);

  /**
   * Applies all operations or none, atomically: either every operation's condition holds and all
   * are applied together, or nothing changes. Callers order operations by limit name so that
   * concurrent batches take locks in one order.
   *
   * @param operations at least one; at most one per (limit, period)
   * @return one result per operation, encoded as by the single-operation methods, when all were
   *     applied; when none was, the entry of at least one operation whose condition failed is a
   *     rejection, and the other entries are unspecified
   */
  long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations);

  /**
   * Records that a usage threshold was crossed, once: the first call for a key returns {@code
   * true}, every later one (from any thread or instance) {@code false}.
   *
   * @param periodStart the period in epoch milliseconds (gauges use the calendar month)
   * @param percent the threshold
   */
  boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent);

  /** The tenant's override of the limit, or {@link #NO_OVERRIDE}. */
  long override(TenantId tenant, String limit);

  /** Every override of the tenant by limit name. */
  Map<String, Long> overrides(TenantId tenant);

  /**
   * Sets or replaces the tenant's override of a limit.
   *
   * @param amount non-negative; {@link Long#MAX_VALUE} for unlimited
   */
  void putOverride(TenantId tenant, String limit, long amount);

  /** Removes the tenant's override of a limit, if any. */
  void removeOverride(TenantId tenant, String limit);

  /** Removes every counter, bucket, marker and override of the tenant. */
  void purge(TenantId tenant);
}
