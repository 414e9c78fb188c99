package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.GatedStore;
import dev.tenantkit.metering.testkit.ObservedStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class BufferedMeteringTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final TenantId T = TenantId.of("acme");
  private static final TimeRange RANGE = new TimeRange(NOW, NOW.plusSeconds(1));

  private final FakeClock clock = FakeClock.at(NOW);
  private final InMemoryUsageStore store = InMemoryUsageStore.create();

  private static UsageEvent click(int i) {
    return UsageEvent.builder(T, "clicks").timestamp(NOW).idempotencyKey("c" + i).build();
  }

  private Metering.Builder builder(dev.tenantkit.metering.spi.UsageStore on) {
    return Metering.builder().store(on).catalog(TestMeters.catalog()).clock(clock);
  }

  private static Set<Thread> flusherThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("tenantkit-metering-flusher-"))
        .collect(Collectors.toSet());
  }

  @Test
  void closeFlushesAndStopsTheFlusherThread() {
    Set<Thread> before = flusherThreads();
    Metering m = builder(store).buffer(100, Duration.ofHours(1), Backpressure.REJECT).build();
    Set<Thread> mine = flusherThreads();
    mine.removeAll(before);
    assertThat(mine).hasSize(1);
    Thread flusher = mine.iterator().next();
    assertThat(flusher.isDaemon()).isTrue();
    for (int i = 0; i < 10; i++) {
      assertThat(m.usageMeter().record(click(i))).isEqualTo(RecordOutcome.queued());
    }
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("0");
    m.close();
    assertThat(flusher.isAlive()).isFalse();
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("10");
    m.close();
  }

  @Test
  void noThreadIsStartedWithoutBufferedMeters() {
    Set<Thread> before = flusherThreads();
    Metering m =
        Metering.builder()
            .store(store)
            .catalog(MeterCatalog.builder().add(TestMeters.TOKENS).build())
            .build();
    Set<Thread> after = flusherThreads();
    after.removeAll(before);
    assertThat(after).isEmpty();
    m.close();
  }

  @Test
  void aHostSchedulerRunsThePeriodicFlushAndIsLeftRunningOnClose() {
    List<Long> delays = new ArrayList<>();
    List<Runnable> tasks = new ArrayList<>();
    ScheduledThreadPoolExecutor host =
        new ScheduledThreadPoolExecutor(1) {
          @Override
          public ScheduledFuture<?> scheduleWithFixedDelay(
              Runnable command, long initialDelay, long delay, TimeUnit unit) {
            delays.add(unit.toMillis(delay));
            tasks.add(command);
            return super.scheduleWithFixedDelay(command, 1, 1, TimeUnit.DAYS);
          }
        };
    host.setRemoveOnCancelPolicy(true);
    try {
      Set<Thread> before = flusherThreads();
      Metering m =
          builder(store)
              .buffer(100, Duration.ofMillis(250), Backpressure.REJECT)
              .flushExecutor(host)
              .build();
      Set<Thread> after = flusherThreads();
      after.removeAll(before);
      assertThat(after).isEmpty();
      assertThat(delays).containsExactly(250L);
      m.usageMeter().record(click(1));
      m.usageMeter().record(click(2));
      tasks.get(0).run();
      assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("2");
      m.usageMeter().record(click(3));
      m.close();
      assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("3");
      assertThat(host.isShutdown()).isFalse();
      assertThat(host.getQueue()).isEmpty();
    } finally {
      host.shutdownNow();
    }
  }

  @Test
  void aFullBufferRejectsWhenToldTo() {
    GatedStore gated = GatedStore.gated(store);
    Metering m = builder(gated).buffer(4, Duration.ofHours(1), Backpressure.REJECT).build();
    for (int i = 0; i < 4; i++) {
      assertThat(m.usageMeter().record(click(i))).isEqualTo(RecordOutcome.queued());
    }
    List<RecordOutcome> out = m.usageMeter().recordAll(List.of(click(4), click(5)));
    assertThat(out)
        .extracting(RecordOutcome::reason)
        .containsExactly(RejectionReason.BUFFER_FULL, RejectionReason.BUFFER_FULL);
    gated.release();
    m.close();
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("4");
  }

  @Test
  void aFullBufferMakesTheCallerWriteItWhenToldToBlock() {
    GatedStore counting = GatedStore.counting(store);
    Metering m = builder(counting).buffer(2, Duration.ofHours(1), Backpressure.BLOCK).build();
    for (int i = 0; i < 7; i++) {
      assertThat(m.usageMeter().record(click(i))).isEqualTo(RecordOutcome.queued());
    }
    assertThat(counting.appends()).isGreaterThanOrEqualTo(2);
    m.close();
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("7");
  }

  @Test
  void eventsThatWaitedPastTheLatenessAreNotStoredInAClosedHour() {
    GatedStore counting = GatedStore.counting(store);
    Metering m = builder(counting).buffer(100, Duration.ofHours(1), Backpressure.REJECT).build();
    m.usageMeter().record(click(1));
    clock.advance(Duration.ofHours(2).plusMinutes(2));
    m.close();
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("0");
  }

  @Test
  void aGeneratedKeySurvivesARetriedWriteSoALostAcknowledgementCountsOnce() {
    // Stores the first batch, then fails as if the acknowledgement of the commit had been lost.
    boolean[] failedOnce = {false};
    UsageStore lossy =
        ObservedStore.of(
            store,
            (method, result) -> {
              if (method.equals("append") && !failedOnce[0]) {
                failedOnce[0] = true;
                throw new IllegalStateException("connection lost after commit");
              }
            });
    Metering m = builder(lossy).buffer(100, Duration.ofHours(1), Backpressure.REJECT).build();
    m.usageMeter().record(UsageEvent.builder(T, "clicks").timestamp(NOW).build());
    assertThatThrownBy(() -> m.usageMeter().flush()).hasMessageContaining("connection lost");
    m.usageMeter().flush();
    m.close();
    assertThat(failedOnce[0]).isTrue();
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("1");
  }

  @Test
  void aFailedWriteKeepsItsEventsCountedAndFirstInLine() {
    GatedStore failing = GatedStore.counting(store);
    failing.failing(true);
    // A capacity that is not a power of two, so the bound is not the size of the slot ring.
    // Writes fail, here or on the flusher thread (early, at 3 events): the events stay counted.
    Metering m = builder(failing).buffer(5, Duration.ofHours(1), Backpressure.REJECT).build();
    for (int i = 0; i < 3; i++) {
      m.usageMeter().record(keyed(i));
    }
    assertThatThrownBy(() -> m.usageMeter().flush()).isInstanceOf(RuntimeException.class);
    m.usageMeter().record(keyed(3));
    m.usageMeter().record(keyed(4));
    assertThat(m.usageMeter().recordAll(List.of(keyed(5))))
        .extracting(RecordOutcome::reason)
        .containsExactly(RejectionReason.BUFFER_FULL);
    failing.failing(false);
    m.usageMeter().flush();
    // Laps of the ring: the slots are reused once written.
    for (int i = 5; i < 17; i++) {
      assertThat(m.usageMeter().record(keyed(i))).isEqualTo(RecordOutcome.queued());
      if (i % 5 == 0) {
        m.usageMeter().flush();
      }
    }
    m.close();
    List<String> stored =
        m.queries().events(T, EventFilter.all(), null, 100).items().stream()
            .map(e -> e.event().idempotencyKey())
            .toList();
    List<String> expected = new ArrayList<>();
    for (int i = 16; i >= 0; i--) {
      expected.add("k" + i);
    }
    assertThat(stored).isEqualTo(expected);
  }

  private static UsageEvent keyed(int i) {
    return UsageEvent.builder(T, "clicks").timestamp(NOW).idempotencyKey("k" + i).build();
  }

  @Test
  void nothingIsAcceptedOnceClosed() {
    Metering m = builder(store).buffer(100, Duration.ofHours(1), Backpressure.REJECT).build();
    m.usageMeter().record(click(1));
    m.close();
    assertThatThrownBy(() -> m.usageMeter().record(click(2)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> m.usageMeter().recordAll(List.of(click(3))))
        .isInstanceOf(IllegalStateException.class);
    assertThat(m.queries().total(T, "clicks", RANGE)).isEqualByComparingTo("1");
  }

  @Test
  void everyEventAcknowledgedWhileClosingIsStored() throws Exception {
    Metering m = builder(store).buffer(64, Duration.ofHours(1), Backpressure.BLOCK).build();
    int threads = 4;
    CountDownLatch running = new CountDownLatch(threads);
    AtomicLong acknowledged = new AtomicLong();
    List<Thread> recorders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread recorder =
          new Thread(
              () -> {
                long mine = 0;
                try {
                  while (true) {
                    m.usageMeter().record(UsageEvent.builder(T, "clicks").timestamp(NOW).build());
                    if (++mine == 100) {
                      running.countDown();
                    }
                    acknowledged.incrementAndGet();
                  }
                } catch (IllegalStateException closed) {
                  // The meter closed: this recorder is done.
                }
              });
      recorders.add(recorder);
      recorder.start();
    }
    running.await();
    m.close();
    for (Thread recorder : recorders) {
      recorder.join();
    }
    assertThat(acknowledged.get()).isGreaterThanOrEqualTo(400);
    assertThat(m.queries().total(T, "clicks", RANGE))
        .isEqualByComparingTo(Long.toString(acknowledged.get()));
  }
}
