package dev.tenantkit.metering.quota.testkit;

import static dev.tenantkit.metering.quota.spi.CellResult.OVERRIDE_CHANGED;
import static dev.tenantkit.metering.quota.spi.CellResult.isApplied;
import static dev.tenantkit.metering.quota.spi.CellResult.isRejected;
import static dev.tenantkit.metering.quota.spi.CellResult.rejected;
import static dev.tenantkit.metering.quota.spi.CellResult.state;
import static dev.tenantkit.metering.quota.spi.QuotaStore.FULL_BUCKET;
import static dev.tenantkit.metering.quota.spi.QuotaStore.NO_CEILING;
import static dev.tenantkit.metering.quota.spi.QuotaStore.NO_OVERRIDE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must have. A backend's test extends this class and
 * supplies a store; every test uses tenant ids of its own, so a backend may hand out one store (one
 * database) for the whole class.
 */
public abstract class QuotaStoreContract {
  private static final AtomicInteger TENANTS = new AtomicInteger();
  private static final long T0 = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z in nanos
  private static final long SECOND = 1_000_000_000L;
  private static final long JAN = 1_767_225_600_000L;
  private static final long FEB = 1_769_904_000_000L;

  /** The store under test. */
  protected QuotaStore store;

  /** A tenant no other test uses. */
  protected TenantId a;

  /** Another tenant no other test uses. */
  protected TenantId b;

  /** The store to test; called before each test. */
  protected abstract QuotaStore newStore();

  /** Threads used by the concurrency tests; a backend with a small pool may lower it. */
  protected int threads() {
    return 16;
  }

  @BeforeEach
  void setUpStore() {
    store = newStore();
    int n = TENANTS.incrementAndGet();
    a = TenantId.of("qa-" + n);
    b = TenantId.of("qb-" + n);
  }

  @AfterEach
  void purgeTenants() {
    store.purge(a);
    store.purge(b);
  }

  @Test
  void tryAddCountsUpToTheCeilingAndRejectsWithoutChange() {
    assertThat(store.cell(a, "api_calls").tryAdd(JAN, 3, 10, NO_OVERRIDE)).isEqualTo(3);
    assertThat(store.cell(a, "api_calls").tryAdd(JAN, 7, 10, NO_OVERRIDE)).isEqualTo(10);
    long r = store.cell(a, "api_calls").tryAdd(JAN, 1, 10, NO_OVERRIDE);
    assertThat(isRejected(r)).isTrue();
    assertThat(state(r)).isEqualTo(10);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(10);
    assertThat(store.cell(a, "api_calls").tryAdd(JAN, 0, 10, NO_OVERRIDE)).isEqualTo(10);
  }

  @Test
  void anAmountAboveTheCeilingIsRejectedOnAFreshCounter() {
    assertThat(store.cell(a, "files").tryAdd(0, 11, 10, NO_OVERRIDE)).isEqualTo(rejected(0));
    assertThat(store.cell(a, "files").counter(0)).isZero();
    assertThat(store.cell(a, "files").tryAdd(0, 10, 10, NO_OVERRIDE)).isEqualTo(10);
  }

  @Test
  void withoutCeilingLargeAmountsAdd() {
    long big = 1L << 60;
    assertThat(store.cell(a, "storage_bytes").tryAdd(0, big, NO_CEILING, NO_OVERRIDE))
        .isEqualTo(big);
    assertThat(store.cell(a, "storage_bytes").tryAdd(0, big, NO_CEILING, NO_OVERRIDE))
        .isEqualTo(2 * big);
    assertThat(store.cell(a, "storage_bytes").tryAdd(0, 6 * big, NO_CEILING, NO_OVERRIDE))
        .isEqualTo(rejected(2 * big));
  }

  @Test
  void periodsAndLimitsAreSeparateCounters() {
    store.cell(a, "api_calls").tryAdd(JAN, 5, 100, NO_OVERRIDE);
    store.cell(a, "api_calls").tryAdd(FEB, 2, 100, NO_OVERRIDE);
    store.cell(a, "tokens").tryAdd(JAN, 9, 100, NO_OVERRIDE);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(5);
    assertThat(store.cell(a, "api_calls").counter(FEB)).isEqualTo(2);
    assertThat(store.cell(a, "tokens").counter(JAN)).isEqualTo(9);
    assertThat(store.cell(a, "tokens").counter(FEB)).isZero();
  }

  @Test
  void subtractStopsAtZero() {
    assertThat(store.cell(a, "files").subtract(0, 5)).isZero();
    store.cell(a, "files").tryAdd(0, 8, 100, NO_OVERRIDE);
    assertThat(store.cell(a, "files").subtract(0, 3)).isEqualTo(5);
    assertThat(store.cell(a, "files").subtract(0, 50)).isZero();
    assertThat(store.cell(a, "files").counter(0)).isZero();
    assertThat(store.cell(a, "files").tryAdd(0, 100, 100, NO_OVERRIDE)).isEqualTo(100);
  }

  @Test
  void aBucketStartsFullAndRefillsWithTime() {
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(FULL_BUCKET);
    long burst = 3 * SECOND;
    assertThat(store.cell(a, "rpm").tryTake(T0, SECOND, burst, NO_OVERRIDE)).isEqualTo(T0 + SECOND);
    assertThat(store.cell(a, "rpm").tryTake(T0, 2 * SECOND, burst, NO_OVERRIDE))
        .isEqualTo(T0 + 3 * SECOND);
    assertThat(store.cell(a, "rpm").tryTake(T0, SECOND, burst, NO_OVERRIDE))
        .isEqualTo(rejected(T0 + 3 * SECOND));
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + 3 * SECOND);
    long later = T0 + SECOND;
    assertThat(store.cell(a, "rpm").tryTake(later, SECOND, burst, NO_OVERRIDE))
        .isEqualTo(T0 + 4 * SECOND);
    assertThat(store.cell(a, "rpm").tryTake(later, SECOND, burst, NO_OVERRIDE))
        .isEqualTo(rejected(T0 + 4 * SECOND));
    // Long idle: the bucket is full again, never fuller.
    long much = T0 + 3600 * SECOND;
    assertThat(store.cell(a, "rpm").tryTake(much, 3 * SECOND, burst, NO_OVERRIDE))
        .isEqualTo(much + 3 * SECOND);
    assertThat(isRejected(store.cell(a, "rpm").tryTake(much, SECOND, burst, NO_OVERRIDE))).isTrue();
  }

  @Test
  void aCostAboveTheBurstIsRejectedWithoutState() {
    assertThat(store.cell(a, "rpm").tryTake(T0, 5 * SECOND, 3 * SECOND, NO_OVERRIDE))
        .isEqualTo(rejected(T0));
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(FULL_BUCKET);
  }

  @Test
  void aBatchAppliesAll() {
    long[] r =
        store.tryApplyAll(
            a,
            List.of(
                new QuotaOperation.TryAdd("api_calls", JAN, 2, 10, NO_OVERRIDE),
                new QuotaOperation.TryTake("rpm", T0, SECOND, 2 * SECOND, NO_OVERRIDE),
                new QuotaOperation.TryAdd("tokens", JAN, 500, 1000, NO_OVERRIDE)));
    assertThat(r).containsExactly(2, T0 + SECOND, 500);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(2);
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + SECOND);
    assertThat(store.cell(a, "tokens").counter(JAN)).isEqualTo(500);
  }

  @Test
  void aBatchWithOneRejectionAppliesNone() {
    store.cell(a, "tokens").tryAdd(JAN, 900, 1000, NO_OVERRIDE);
    store.cell(a, "rpm").tryTake(T0, SECOND, 2 * SECOND, NO_OVERRIDE);
    long[] r =
        store.tryApplyAll(
            a,
            List.of(
                new QuotaOperation.TryAdd("api_calls", JAN, 2, 10, NO_OVERRIDE),
                new QuotaOperation.TryTake("rpm", T0, SECOND, 2 * SECOND, NO_OVERRIDE),
                new QuotaOperation.TryAdd("tokens", JAN, 101, 1000, NO_OVERRIDE)));
    assertThat(isRejected(r[2])).isTrue();
    assertThat(state(r[2])).isEqualTo(900);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isZero();
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + SECOND);
    assertThat(store.cell(a, "tokens").counter(JAN)).isEqualTo(900);

    long[] second =
        store.tryApplyAll(
            a,
            List.of(
                new QuotaOperation.TryAdd("api_calls", JAN, 2, 10, NO_OVERRIDE),
                new QuotaOperation.TryTake("rpm", T0, 2 * SECOND, 2 * SECOND, NO_OVERRIDE)));
    assertThat(isRejected(second[1])).isTrue();
    assertThat(store.cell(a, "api_calls").counter(JAN)).isZero();
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + SECOND);
  }

  @Test
  void aRejectedBatchSaysWhereEveryLimitStands() {
    store.cell(a, "b_tokens").tryAdd(JAN, 900, 1000, NO_OVERRIDE);
    store.cell(a, "c_rpm").tryTake(T0, SECOND, 2 * SECOND, NO_OVERRIDE);
    store.cell(a, "e_files").tryAdd(0, 3, NO_CEILING, NO_OVERRIDE);
    long[] r =
        store.tryApplyAll(
            a,
            List.of(
                new QuotaOperation.TryAdd("a_calls", JAN, 2, 10, NO_OVERRIDE),
                new QuotaOperation.TryAdd("b_tokens", JAN, 101, 1000, NO_OVERRIDE),
                new QuotaOperation.TryTake("c_rpm", T0, SECOND, 2 * SECOND, NO_OVERRIDE),
                new QuotaOperation.TryTake("d_rps", T0 + SECOND, SECOND, 2 * SECOND, NO_OVERRIDE),
                new QuotaOperation.TryAdd("e_files", 0, 1, 10, NO_OVERRIDE)));
    // Before the failing one: what it reached before it was undone.
    assertThat(r[0]).isEqualTo(2);
    assertThat(r[1]).isEqualTo(rejected(900));
    // After it, not tried: the state each would have been rejected at.
    assertThat(r[2]).isEqualTo(rejected(T0 + SECOND));
    assertThat(r[3]).isEqualTo(rejected(T0 + SECOND));
    assertThat(r[4]).isEqualTo(rejected(3));
    assertThat(store.cell(a, "a_calls").counter(JAN)).isZero();
    assertThat(store.cell(a, "b_tokens").counter(JAN)).isEqualTo(900);
    assertThat(store.cell(a, "c_rpm").bucket()).isEqualTo(T0 + SECOND);
    assertThat(store.cell(a, "d_rps").bucket()).isEqualTo(FULL_BUCKET);
    assertThat(store.cell(a, "e_files").counter(0)).isEqualTo(3);
  }

  @Test
  void aThresholdIsMarkedOnce() {
    assertThat(store.markThreshold(a, "api_calls", JAN, 80)).isTrue();
    assertThat(store.markThreshold(a, "api_calls", JAN, 80)).isFalse();
    assertThat(store.markThreshold(a, "api_calls", JAN, 90)).isTrue();
    assertThat(store.markThreshold(a, "api_calls", FEB, 80)).isTrue();
    assertThat(store.markThreshold(a, "tokens", JAN, 80)).isTrue();
    assertThat(store.markThreshold(b, "api_calls", JAN, 80)).isTrue();
  }

  @Test
  void overridesArePutReplacedListedAndRemoved() {
    assertThat(store.cell(a, "api_calls").override()).isEqualTo(NO_OVERRIDE);
    assertThat(store.overrides(a)).isEmpty();
    store.putOverride(a, "api_calls", 5000);
    store.putOverride(a, "files", 0);
    store.putOverride(a, "api_calls", 7000);
    store.putOverride(a, "tokens", Long.MAX_VALUE);
    assertThat(store.cell(a, "api_calls").override()).isEqualTo(7000);
    assertThat(store.cell(a, "files").override()).isZero();
    assertThat(store.overrides(a))
        .isEqualTo(Map.of("api_calls", 7000L, "files", 0L, "tokens", Long.MAX_VALUE));
    store.removeOverride(a, "api_calls");
    store.removeOverride(a, "never_set");
    assertThat(store.cell(a, "api_calls").override()).isEqualTo(NO_OVERRIDE);
    assertThat(store.overrides(a)).isEqualTo(Map.of("files", 0L, "tokens", Long.MAX_VALUE));
  }

  @Test
  void conditionalOperationsChangeNothingWhenTheOverrideIsNotTheExpectedOne() {
    QuotaCell calls = store.cell(a, "api_calls");
    QuotaCell rpm = store.cell(a, "rpm");
    assertThat(calls.override()).isEqualTo(NO_OVERRIDE);
    assertThat(rpm.override()).isEqualTo(NO_OVERRIDE);
    store.putOverride(a, "api_calls", 5);
    store.putOverride(a, "rpm", 1);

    assertThat(calls.tryAdd(JAN, 1, 10, NO_OVERRIDE)).isEqualTo(OVERRIDE_CHANGED);
    assertThat(rpm.tryTake(T0, SECOND, 2 * SECOND, NO_OVERRIDE)).isEqualTo(OVERRIDE_CHANGED);
    long[] batch =
        store.tryApplyAll(
            a,
            List.of(
                new QuotaOperation.TryAdd("api_calls", JAN, 1, 5, 5),
                new QuotaOperation.TryTake("rpm", T0, SECOND, 2 * SECOND, NO_OVERRIDE)));
    assertThat(batch[1]).isEqualTo(OVERRIDE_CHANGED);
    assertThat(calls.counter(JAN)).isZero();
    assertThat(rpm.bucket()).isEqualTo(FULL_BUCKET);

    // Having seen the change, the cells report the new override, and operations expecting it pass.
    assertThat(calls.override()).isEqualTo(5);
    assertThat(rpm.override()).isEqualTo(1);
    assertThat(calls.tryAdd(JAN, 5, 5, 5)).isEqualTo(5);
    assertThat(calls.tryAdd(JAN, 1, 5, 5)).isEqualTo(rejected(5));
    assertThat(rpm.tryTake(T0, SECOND, 2 * SECOND, 1)).isEqualTo(T0 + SECOND);

    store.removeOverride(a, "api_calls");
    assertThat(calls.tryAdd(JAN, 1, 10, 5)).isEqualTo(OVERRIDE_CHANGED);
    assertThat(calls.override()).isEqualTo(NO_OVERRIDE);
    assertThat(calls.tryAdd(JAN, 1, 10, NO_OVERRIDE)).isEqualTo(6);
  }

  @Test
  void aCellAskedAgainIsTheSameState() {
    store.cell(a, "api_calls").tryAdd(JAN, 3, 10, NO_OVERRIDE);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(3);
    store.cell(a, "api_calls").tryAdd(JAN, 4, 10, NO_OVERRIDE);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(7);
  }

  @Test
  void oneTenantNeverSeesOrChangesAnothersState() {
    store.cell(a, "api_calls").tryAdd(JAN, 7, 10, NO_OVERRIDE);
    store.cell(a, "files").tryAdd(0, 3, 10, NO_OVERRIDE);
    store.cell(a, "rpm").tryTake(T0, 2 * SECOND, 2 * SECOND, NO_OVERRIDE);
    store.putOverride(a, "api_calls", 99);
    store.markThreshold(a, "api_calls", JAN, 80);

    assertThat(store.cell(b, "api_calls").counter(JAN)).isZero();
    assertThat(store.cell(b, "files").counter(0)).isZero();
    assertThat(store.cell(b, "rpm").bucket()).isEqualTo(FULL_BUCKET);
    assertThat(store.cell(b, "api_calls").override()).isEqualTo(NO_OVERRIDE);
    assertThat(store.overrides(b)).isEmpty();
    assertThat(store.markThreshold(b, "api_calls", JAN, 80)).isTrue();

    // B's changes, including a purge, leave A as it was.
    assertThat(store.cell(b, "api_calls").tryAdd(JAN, 10, 10, NO_OVERRIDE)).isEqualTo(10);
    store.cell(b, "files").subtract(0, 100);
    assertThat(store.cell(b, "rpm").tryTake(T0, 2 * SECOND, 2 * SECOND, NO_OVERRIDE))
        .isEqualTo(T0 + 2 * SECOND);
    store.removeOverride(b, "api_calls");
    store.purge(b);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(7);
    assertThat(store.cell(a, "files").counter(0)).isEqualTo(3);
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + 2 * SECOND);
    assertThat(store.cell(a, "api_calls").override()).isEqualTo(99);
    assertThat(store.markThreshold(a, "api_calls", JAN, 80)).isFalse();
  }

  @Test
  void purgeRemovesEverythingOfTheTenant() {
    store.cell(a, "api_calls").tryAdd(JAN, 7, 10, NO_OVERRIDE);
    store.cell(a, "rpm").tryTake(T0, SECOND, 2 * SECOND, NO_OVERRIDE);
    store.putOverride(a, "api_calls", 99);
    store.markThreshold(a, "api_calls", JAN, 80);
    store.purge(a);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isZero();
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(FULL_BUCKET);
    assertThat(store.overrides(a)).isEmpty();
    assertThat(store.markThreshold(a, "api_calls", JAN, 80)).isTrue();
  }

  @Test
  void concurrentAddsNeverPassTheCeiling() throws Exception {
    int ceiling = 300;
    List<Long> admitted =
        hammer(() -> store.cell(a, "api_calls").tryAdd(JAN, 1, ceiling, NO_OVERRIDE), 40);
    assertThat(admitted).hasSize(ceiling);
    assertThat(admitted).doesNotHaveDuplicates().allMatch(v -> v >= 1 && v <= ceiling);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(ceiling);
  }

  @Test
  void concurrentTakesNeverPassTheBurst() throws Exception {
    int tokens = 200;
    List<Long> admitted =
        hammer(() -> store.cell(a, "rpm").tryTake(T0, SECOND, tokens * SECOND, NO_OVERRIDE), 30);
    assertThat(admitted).hasSize(tokens);
    assertThat(store.cell(a, "rpm").bucket()).isEqualTo(T0 + tokens * SECOND);
  }

  @Test
  void concurrentBatchesAreAllOrNone() throws Exception {
    List<QuotaOperation> ops =
        List.of(
            new QuotaOperation.TryAdd("api_calls", JAN, 1, 150, NO_OVERRIDE),
            new QuotaOperation.TryAdd("tokens", JAN, 2, 1000, NO_OVERRIDE));
    List<Long> admitted =
        hammer(
            () -> {
              long[] r = store.tryApplyAll(a, ops);
              return !isApplied(r[0]) || !isApplied(r[1]) ? -1 : r[0];
            },
            20);
    assertThat(admitted).hasSize(150);
    assertThat(store.cell(a, "api_calls").counter(JAN)).isEqualTo(150);
    assertThat(store.cell(a, "tokens").counter(JAN)).isEqualTo(300);
  }

  /**
   * Runs {@code attempt} {@code perThread} times on each of {@link #threads()} threads released
   * together, and returns the results that were not rejections.
   */
  private List<Long> hammer(Callable<Long> attempt, int perThread) throws Exception {
    int n = threads();
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<List<Long>>> futures = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<Long> ok = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    long r = attempt.call();
                    if (r >= 0) {
                      ok.add(r);
                    }
                  }
                  return ok;
                }));
      }
      start.countDown();
      List<Long> all = new ArrayList<>();
      for (Future<List<Long>> f : futures) {
        all.addAll(f.get());
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
