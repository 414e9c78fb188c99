package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RowCombinerTest {
  private final RowCombiner combiner = new RowCombiner();
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** A counter row: adds while the sum stays within the bound; records every call. */
  private final Counter row = new Counter();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  @Test
  void aLoneChangeRunsAtOnceWithItsOwnArguments() {
    assertThat(combiner.submit(false, 7, 3, 10, -1, row)).isEqualTo(3);
    assertThat(row.calls).containsExactly(new Call(7, 3, 10, -1));
  }

  @Test
  void changesQueuedWhileOneRunsAreAppliedAsOneAndEachGetsItsOwnShare() throws Exception {
    Future<Long> first = blockFirstChange(5);
    List<Future<Long>> parts = new ArrayList<>();
    for (long amount : new long[] {1, 2, 3}) {
      parts.add(submitQueued(false, 7, amount, 100, -1));
    }
    row.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    // Each part's value is the row after it: their ranges split (5, 11] between them.
    List<long[]> ranges = new ArrayList<>();
    long[] amounts = {1, 2, 3};
    for (int i = 0; i < parts.size(); i++) {
      long after = parts.get(i).get(10, TimeUnit.SECONDS);
      ranges.add(new long[] {after - amounts[i], after});
    }
    assertThat(row.calls).containsExactly(new Call(7, 5, 100, -1), new Call(7, 6, 100, -1));
    ranges.sort((a, b) -> Long.compare(a[0], b[0]));
    assertThat(ranges.get(0)[0]).isEqualTo(5);
    assertThat(ranges.get(0)[1]).isEqualTo(ranges.get(1)[0]);
    assertThat(ranges.get(1)[1]).isEqualTo(ranges.get(2)[0]);
    assertThat(ranges.get(2)[1]).isEqualTo(11);
  }

  @Test
  void aMergedSumThatDoesNotFitSendsEveryPartBackToBeAppliedAlone() throws Exception {
    Future<Long> first = blockFirstChange(5);
    Future<Long> a = submitQueued(false, 7, 3, 10, -1);
    Future<Long> b = submitQueued(false, 7, 3, 10, -1);
    row.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    // 5 + 6 > 10, though one of the two would fit alone: neither is refused here.
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(RowCombiner.ALONE);
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(RowCombiner.ALONE);
    assertThat(row.value).isEqualTo(5);
  }

  @Test
  void partsUnderAnotherPeriodBoundOrOverrideAreNotMerged() throws Exception {
    Future<Long> first = blockFirstChange(1);
    List<Future<Long>> parts =
        List.of(
            submitQueued(false, 7, 1, 100, -1),
            submitQueued(false, 8, 1, 100, -1),
            submitQueued(false, 7, 1, 99, -1),
            submitQueued(false, 7, 1, 100, 50));
    row.release.countDown();

    first.get(10, TimeUnit.SECONDS);
    for (Future<Long> p : parts) {
      assertThat(p.get(10, TimeUnit.SECONDS)).isPositive();
    }
    assertThat(row.calls).hasSize(5).allMatch(c -> c.amount == 1);
  }

  @Test
  void bucketPartsTakenAtDifferentTimesMergeAtTheLatest() throws Exception {
    Future<Long> first = blockFirstChange(1);
    Future<Long> a = submitQueued(true, 1_000, 1, 100, -1);
    Future<Long> b = submitQueued(true, 3_000, 1, 100, -1);
    row.release.countDown();

    first.get(10, TimeUnit.SECONDS);
    a.get(10, TimeUnit.SECONDS);
    b.get(10, TimeUnit.SECONDS);
    assertThat(row.calls).last().isEqualTo(new Call(3_000, 2, 100, -1));
  }

  @Test
  void aLoneChangeThatFailsThrowsToItsCaller() {
    RowCombiner.Change failing =
        (at, amount, bound, override) -> {
          throw new IllegalStateException("database down");
        };
    assertThatThrownBy(() -> combiner.submit(false, 7, 1, 10, -1, failing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    // The combiner is free again.
    assertThat(combiner.submit(false, 7, 1, 10, -1, row)).isEqualTo(1);
  }

  /**
   * Starts a change of {@code amount} whose call blocks until {@code row.release}, and returns once
   * it is running, so that later changes queue behind it.
   */
  private Future<Long> blockFirstChange(long amount) throws Exception {
    row.block = true;
    Future<Long> f = threads.submit(() -> combiner.submit(false, 7, amount, 100, -1, row));
    assertThat(row.entered.await(10, TimeUnit.SECONDS)).isTrue();
    return f;
  }

  /** Submits a change from a new thread and returns once that thread waits in the queue. */
  private Future<Long> submitQueued(
      boolean latestAt, long at, long amount, long bound, long override) {
    CompletableFuture<Thread> started = new CompletableFuture<>();
    Future<Long> f =
        threads.submit(
            () -> {
              started.complete(Thread.currentThread());
              return combiner.submit(latestAt, at, amount, bound, override, row);
            });
    Thread t = started.join();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (t.getState() != Thread.State.WAITING) {
      assertThat(Instant.now()).as("thread queued").isBefore(deadline);
      Thread.onSpinWait();
    }
    return f;
  }

  private record Call(long at, long amount, long bound, long override) {}

  private static final class Counter implements RowCombiner.Change {
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean block;
    long value;

    @Override
    public long apply(long at, long amount, long bound, long override) {
      calls.add(new Call(at, amount, bound, override));
      if (block) {
        block = false;
        entered.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }
      synchronized (this) {
        if (value + amount > bound) {
          return -1;
        }
        value += amount;
        return value;
      }
    }
  }
}
