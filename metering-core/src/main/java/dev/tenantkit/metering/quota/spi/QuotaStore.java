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
 * <p>Results of conditional operations are {@code long}s, encoded and decoded only by {@link
 * CellResult} (which says why they are not objects): the state after the change, a rejection
 * carrying the state found, or {@link CellResult#OVERRIDE_CHANGED}.
 *
 * <p>Every method is scoped to one tenant and must never read or change another tenant's state.
 * Implementations are thread-safe and, when shared by several application instances, atomic across
 * them. Any method may throw a {@link RuntimeException} when the backing system is unreachable; the
 * enforcer then applies its {@code FailureMode}.
 */
public interface QuotaStore {

  /** What {@link QuotaCell#override} returns when the tenant has no override for the limit. */
  long NO_OVERRIDE = -1;

  /**
   * What {@link QuotaCell#bucket} returns for a bucket never used: a {@code tat} at the epoch, so
   * full for every {@code now}. A state, never a result: results are {@link CellResult}s.
   */
  long FULL_BUCKET = 0;

  /**
   * The largest ceiling of {@link QuotaCell#tryAdd}, meaning "no ceiling". A counter never exceeds
   * it, so its rejection is always a {@link CellResult#rejected} and never {@link
   * CellResult#OVERRIDE_CHANGED}.
   */
  long NO_CEILING = CellResult.MAX_REJECTED_STATE;

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
   * rejected (not {@link CellResult#OVERRIDE_CHANGED}), each operation after it is a rejection of
   * its current state, as its {@link QuotaCell} method would answer (a counter's value, a bucket's
   * {@code max(tat, nowNanos)}), without being tried.
   *
   * @param operations at least one; at most one per (limit, period)
   * @return one {@link CellResult} per operation: when all were applied, each the state after it;
   *     when none was, as described above
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
