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

  /** What {@link QuotaCell#override} returns when the tenant has no override for the limit. */
  long NO_OVERRIDE = -1;

  /** What {@link QuotaCell#bucket} returns for a bucket never used: full since forever. */
  long FULL_BUCKET = Long.MIN_VALUE;

  /**
   * The largest ceiling of {@link QuotaCell#tryAdd}, meaning "no ceiling". A counter never exceeds
   * it, so a rejection never encodes to {@link #OVERRIDE_CHANGED}.
   */
  long NO_CEILING = Long.MAX_VALUE - 1;

  /**
   * What a conditional operation returns, having changed nothing, when the tenant's override is no
   * longer the one its caller expected.
   */
  long OVERRIDE_CHANGED = Long.MIN_VALUE;

  /** Encodes a rejection that leaves the state at {@code current} ({@code >= 0}). */
  static long rejected(long current) {
    return -1 - current;
  }

  /**
   * Whether a result of a conditional operation is a rejection (including {@link
   * #OVERRIDE_CHANGED}).
   */
  static boolean isRejected(long result) {
    return result < 0;
  }

  /** The state carried by a result: the new state if applied, the unchanged one if rejected. */
  static long current(long result) {
    return result < 0 ? -1 - result : result;
  }

  /**
   * The cell of {@code (tenant, limit)}: its counters, bucket and override. Cheap to call, but the
   * enforcer calls it once per tenant and limit and keeps the cell, so a store may keep one cell
   * object per pair and return it each time; two cells of one pair must share their state. Must not
   * reach the backing store or throw: it is called outside the enforcer's failure mode, so a
   * failure here would reach the caller instead of failing open or closed. The cell's methods are
   * where the store is reached.
   */
  QuotaCell cell(TenantId tenant, String limit);

  /**
   * Applies all operations or none, atomically: either every operation's condition holds and all
   * are applied together, or nothing changes. Callers order operations by limit name so that
   * concurrent batches take locks in one order.
   *
   * <p>Operations are tried in order and the first whose condition fails ends the batch. Its
   * results then say where every limit stands, so that the enforcer reports each without asking
   * again: the operations before the failing one hold what they reached before they were undone
   * (their state less their amount or cost is the state now), and, when the failing one was
   * rejected (not {@link #OVERRIDE_CHANGED}), each operation after it is a rejection of its current
   * state, as its {@link QuotaCell} method would answer (a counter's value, a bucket's {@code
   * max(tat, nowNanos)}), without being tried.
   *
   * @param operations at least one; at most one per (limit, period)
   * @return one result per operation, encoded as by the {@link QuotaCell} methods: when all were
   *     applied, each the state after it; when none was, as described above
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
