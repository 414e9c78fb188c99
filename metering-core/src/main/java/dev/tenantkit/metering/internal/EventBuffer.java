package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounded buffer of {@link dev.tenantkit.metering.Durability#BUFFERED} events. Its capacity
 * counts events waiting and events being written, so at any moment at most {@code capacity}
 * acknowledged events exist only in memory: that is what a crash can lose. Thread-safe.
 */
final class EventBuffer {
  private static final Logger LOG = LoggerFactory.getLogger(EventBuffer.class);

  private final int capacity;
  private final Backpressure backpressure;
  private final int maxBatch;
  private final BatchWriter writer;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Checked> queue = new ArrayDeque<>();
  private final ReentrantLock flushLock = new ReentrantLock();
  private final AtomicBoolean earlyFlushPending = new AtomicBoolean();
  private int held;
  private boolean closed;
  private volatile Runnable earlyFlush = () -> {};

  EventBuffer(int capacity, Backpressure backpressure, int maxBatch, BatchWriter writer) {
    this.capacity = capacity;
    this.backpressure = backpressure;
    this.maxBatch = maxBatch;
    this.writer = writer;
  }

  /** What to run, off the caller's thread, when the buffer is half full. */
  void onHalfFull(Runnable trigger) {
    this.earlyFlush = trigger;
  }

  /** Called by the early flush task when it starts, so the next half-full buffer triggers again. */
  void earlyFlushStarted() {
    earlyFlushPending.set(false);
  }

  /**
   * Refuses every later {@link #offer}. What was queued before stays, for the last {@link #flush}.
   */
  void close() {
    lock.lock();
    try {
      closed = true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues the event, or applies the backpressure policy when the buffer is full: {@code REJECT}
   * refuses it, {@code BLOCK} writes the buffer in the caller's thread and tries again.
   *
   * @throws IllegalStateException if the buffer is closed
   */
  RecordOutcome offer(Checked event) {
    while (true) {
      boolean added = false;
      boolean trigger = false;
      lock.lock();
      try {
        if (closed) {
          throw new IllegalStateException("the usage meter is closed");
        }
        if (held < capacity) {
          queue.add(event);
          held++;
          added = true;
          trigger = held * 2 >= capacity && earlyFlushPending.compareAndSet(false, true);
        } else if (backpressure == Backpressure.REJECT) {
          return RecordOutcome.rejected(
              RejectionReason.BUFFER_FULL, "the usage buffer is full (" + capacity + " events)");
        }
      } finally {
        lock.unlock();
      }
      if (added) {
        if (trigger) {
          earlyFlush.run();
        }
        return RecordOutcome.queued();
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
    lock.lock();
    try {
      return held;
    } finally {
      lock.unlock();
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
      int left;
      lock.lock();
      try {
        left = queue.size();
      } finally {
        lock.unlock();
      }
      while (left > 0) {
        List<Checked> batch = new ArrayList<>(Math.min(left, maxBatch));
        lock.lock();
        try {
          while (batch.size() < maxBatch && batch.size() < left && !queue.isEmpty()) {
            batch.add(queue.poll());
          }
        } finally {
          lock.unlock();
        }
        if (batch.isEmpty()) {
          return;
        }
        List<RecordOutcome> outcomes;
        try {
          outcomes = writer.write(batch);
        } catch (RuntimeException e) {
          lock.lock();
          try {
            for (int i = batch.size() - 1; i >= 0; i--) {
              queue.addFirst(batch.get(i));
            }
          } finally {
            lock.unlock();
          }
          throw e;
        }
        report(batch, outcomes);
        lock.lock();
        try {
          held -= batch.size();
        } finally {
          lock.unlock();
        }
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
