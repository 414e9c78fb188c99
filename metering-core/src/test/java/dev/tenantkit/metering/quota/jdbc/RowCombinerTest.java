package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
        new RowCombiner.Change() {
          @Override
          public long apply(long at, long amount, long bound, long override) {
            throw new IllegalStateException("database down");
          }

          @Override
          public long applyOnce(
              long at, long amount, long bound, long override, UUID op, UUID forget) {
            throw new IllegalStateException("database down");
          }
        };
    assertThatThrownBy(() -> combiner.submit(false, 7, 1, 10, -1, failing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("database down");
    // The combiner is free again.
    assertThat(combiner.submit(false, 7, 1, 10, -1, row)).isEqualTo(1);
  }

  @Test
  void aMergedChangeWhoseAnswerIsLostIsCalledAgainUnderItsIdAndAppliedOnce() throws Exception {
    Future<Long> first = blockFirstChange(5);
    Future<Long> a = submitQueued(false, 7, 1, 100, -1);
    Future<Long> b = submitQueued(false, 7, 2, 100, -1);
    // The merged change commits, then its connection drops before the answer arrives.
    row.loseAnswers.set(1);
    row.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    // Each part gets its share of the one change; neither is applied again on its own, which
    // charged 3 twice (the row at 11).
    assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo(6);
    assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(8);
    assertThat(row.value).isEqualTo(8);
    assertThat(row.calls)
        .containsExactly(new Call(7, 5, 100, -1), new Call(7, 3, 100, -1), new Call(7, 3, 100, -1));
    assertThat(row.ops).hasSize(2).doesNotContainNull();
    assertThat(row.ops.get(0)).isEqualTo(row.ops.get(1));
  }

  @Test
  void aMergedChangeThatFailsTwiceFailsEveryPartAndAppliesNone() throws Exception {
    Future<Long> first = blockFirstChange(5);
    Future<Long> a = submitQueued(false, 7, 1, 100, -1);
    Future<Long> b = submitQueued(false, 7, 2, 100, -1);
    row.failBefore.set(2);
    row.release.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(5);
    for (Future<Long> part : List.of(a, b)) {
      assertThatThrownBy(() -> part.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("connection refused");
    }
    assertThat(row.value).isEqualTo(5);
    // The combiner is free again, and the next merged change forgets nothing that was recorded.
    assertThat(combiner.submit(false, 7, 1, 100, -1, row)).isEqualTo(6);
  }

  @Test
  void theNextMergedChangeForgetsTheRecordOfTheLastOne() throws Exception {
    List<UUID> forgotten = new CopyOnWriteArrayList<>();
    Counter recording =
        new Counter() {
          @Override
          public long applyOnce(
              long at, long amount, long bound, long override, UUID op, UUID forget) {
            forgotten.add(forget);
            return super.applyOnce(at, amount, bound, override, op, forget);
          }
        };
    for (int round = 0; round < 2; round++) {
      recording.block = true;
      Future<Long> first = threads.submit(() -> combiner.submit(false, 7, 1, 100, -1, recording));
      assertThat(recording.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Future<Long> a = submitQueued(false, 7, 1, 100, -1, recording);
      Future<Long> b = submitQueued(false, 7, 1, 100, -1, recording);
      recording.release.countDown();
      first.get(10, TimeUnit.SECONDS);
      a.get(10, TimeUnit.SECONDS);
      b.get(10, TimeUnit.SECONDS);
      recording.reset();
    }
    assertThat(recording.ops).hasSize(2);
    assertThat(forgotten).containsExactly(null, recording.ops.get(0));
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
    return submitQueued(latestAt, at, amount, bound, override, row);
  }

  private Future<Long> submitQueued(
      boolean latestAt,
      long at,
      long amount,
      long bound,
      long override,
      RowCombiner.Change change) {
    CompletableFuture<Thread> started = new CompletableFuture<>();
    Future<Long> f =
        threads.submit(
            () -> {
              started.complete(Thread.currentThread());
              return combiner.submit(latestAt, at, amount, bound, override, change);
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

  /**
   * A counter row: adds while the sum stays within the bound; records every call, and each merged
   * change under its id as the store does. Can fail calls before they change anything, or lose the
   * answer of a call that did.
   */
  private static class Counter implements RowCombiner.Change {
    final List<Call> calls = new CopyOnWriteArrayList<>();
    final List<UUID> ops = new CopyOnWriteArrayList<>();
    final Map<UUID, Long> recorded = new ConcurrentHashMap<>();
    final AtomicInteger failBefore = new AtomicInteger();
    final AtomicInteger loseAnswers = new AtomicInteger();
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);
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
      return change(amount, bound);
    }

    @Override
    public long applyOnce(long at, long amount, long bound, long override, UUID op, UUID forget) {
      calls.add(new Call(at, amount, bound, override));
      ops.add(op);
      if (failBefore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("connection refused");
      }
      Long earlier = recorded.get(op);
      long r = earlier != null ? earlier : change(amount, bound);
      if (earlier == null && r >= 0) {
        recorded.put(op, r);
      }
      if (loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw new IllegalStateException("connection lost after the commit");
      }
      return r;
    }

    /** New latches, for another change that blocks. */
    void reset() {
      entered = new CountDownLatch(1);
      release = new CountDownLatch(1);
    }

    private synchronized long change(long amount, long bound) {
      if (value + amount > bound) {
        return -1;
      }
      value += amount;
      return value;
    }
  }
}
