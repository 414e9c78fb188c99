package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer of {@link dev.tenantkit.metering.Durability#BUFFERED} events. Its capacity
 * counts events waiting and events being written, so at any moment at most {@code capacity}
 * acknowledged events exist only in memory: that is what a crash can lose. Thread-safe.
 *
 * <p>{@link #offer} is the hot path of a buffered {@code record} and takes no lock: an event
 * reserves its place in {@code held} (an atomic count of events waiting, being written, or about to
 * be queued), then joins a lock-free queue ({@link EventQueue}). {@code held} only drops once an
 * event is written, so the capacity bound holds. {@link #flush} is serialised by {@code flushLock};
 * a batch whose write failed waits in {@code retry}, ahead of everything queued after it, so the
 * order of events is kept. {@link #close} makes every later offer fail and, with the reservation
 * made before the closed flag is read, lets the last flush wait for an offer that was already under
 * way.
 */
final class EventBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(EventBuffer.class);

  private final int capacity;
  private final Backpressure backpressure;
  private final int maxBatch;
  private final int earlyFlushAt;
  private final BatchWriter writer;
  private final EventQueue queue = new EventQueue();
  private final AtomicInteger held = new AtomicInteger();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final ArrayDeque<Checked> retry = new ArrayDeque<>();
  private final AtomicBoolean earlyFlushPending = new AtomicBoolean();
  private volatile boolean closed;
  private volatile Runnable earlyFlush = () -> {};

  EventBuffer(int capacity, Backpressure backpressure, int maxBatch, BatchWriter writer) {
    this.capacity = capacity;
    this.backpressure = backpressure;
    this.maxBatch = maxBatch;
    // A full batch is the store's unit of work, so there is no gain in letting more wait: events
    // held for long survive young collections, and copying them costs more than writing them.
    this.earlyFlushAt = Math.min(maxBatch, (capacity + 1) / 2);
    this.writer = writer;
  }

  /**
   * What to run, off the caller's thread, when a full batch or half the capacity (whichever is
   * smaller) is held.
   */
  void onBacklog(Runnable trigger) {
    this.earlyFlush = trigger;
  }

  /** Called by the early flush task when it starts, so the next backlog triggers again. */
  void earlyFlushStarted() {
    earlyFlushPending.set(false);
  }

  /**
   * Queues the event, or applies the backpressure policy when the buffer is full: {@code REJECT}
   * refuses it, {@code BLOCK} writes the buffer in the caller's thread and tries again.
   *
   * @throws IllegalStateException if the buffer is closed
   */
  RecordOutcome offer(Checked event) {
    while (true) {
      // Reserve first, then read the flag: close() sets the flag, then reads held, so either this
      // offer sees it closed or close() sees the reservation and waits until the event is written.
      int reserved = held.incrementAndGet();
      if (closed) {
        held.decrementAndGet();
        throw new IllegalStateException("the usage meter is closed");
      }
      if (reserved <= capacity) {
        queue.add(event);
        if (reserved >= earlyFlushAt
            && !earlyFlushPending.get()
            && earlyFlushPending.compareAndSet(false, true)) {
          earlyFlush.run();
        }
        return RecordOutcome.queued();
      }
      held.decrementAndGet();
      if (backpressure == Backpressure.REJECT) {
        return RecordOutcome.rejected(
            RejectionReason.BUFFER_FULL, "the usage buffer is full (" + capacity + " events)");
      }
      try {
        flush();
      } catch (RuntimeException e) {
        return RecordOutcome.rejected(
            RejectionReason.STORE_UNAVAILABLE, "the usage buffer is full and the store failed");
      }
    }
  }

  /** How many events are waiting or being written. */
  int held() {
    return held.get();
  }

  /**
   * Refuses every later {@link #offer} and writes everything accepted before, including offers that
   * were under way; returns when it is stored.
   *
   * @throws RuntimeException the store's failure; the unwritten events stay buffered
   */
  void close() {
    closed = true;
    while (true) {
      flush();
      if (held.get() == 0) {
        return;
      }
      // An offer reserved its place before the flag was set and has yet to queue its event.
      Thread.yield();
    }
  }

  /**
   * Writes the events buffered when called, in batches; returns when they are stored.
   *
   * @throws RuntimeException the store's failure; the unwritten events stay buffered
   */
  void flush() {
    flushLock.lock();
    try {
      int left = held.get();
      while (left > 0) {
        List<Checked> batch = new ArrayList<>(Math.min(left, maxBatch));
        while (batch.size() < maxBatch && batch.size() < left) {
          Checked next = retry.isEmpty() ? queue.poll() : retry.poll();
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        if (batch.isEmpty()) {
          return;
        }
        List<RecordOutcome> outcomes;
        try {
          outcomes = writer.write(batch);
        } catch (RuntimeException e) {
          for (int i = batch.size() - 1; i >= 0; i--) {
            retry.addFirst(batch.get(i));
          }
          throw e;
        }
        report(batch, outcomes);
        held.addAndGet(-batch.size());
        left -= batch.size();
      }
    } finally {
      flushLock.unlock();
    }
  }

  private static void report(List<Checked> batch, List<RecordOutcome> outcomes) {
    for (int i = 0; i < outcomes.size(); i++) {
      RecordOutcome o = outcomes.get(i);
      if (o.status() == RecordOutcome.Status.REJECTED) {
        // The caller was told "queued" long ago; a log line is all that is left to say.
        LOG.warn(
            "buffered usage event of tenant {} meter {} key {} was not stored: {}",
            batch.get(i).event().tenantId(),
            batch.get(i).event().meter(),
            batch.get(i).event().idempotencyKey(),
            o.detail());
      }
    }
  }
}
