package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageMeterClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 *
 * <p>The events wait in a ring of slots (a power of two at least the capacity). {@link #offer} is
 * the hot path of a buffered {@code record} and takes no lock: one compare-and-set on {@code
 * produced} reserves the next slot, and succeeds only below {@code limit}, which is the count of
 * slots released (their events written) plus the capacity; then the event is published into its
 * slot. So one atomic operation both bounds the buffer and queues the event. {@link #flush}, one
 * writer at a time under {@code flushLock}, reads slots in order, stops at a slot whose event is
 * not yet published, and releases slots only once their events are written. A batch whose write
 * failed waits in {@code retry}, ahead of everything read after it, so the order of events is kept
 * and its slots stay counted. Reading consecutive slots, rather than following links from one event
 * to the next, lets the writer fetch many events from the caller's cache at once.
 *
 * <p>{@link #close} sets the closed flag, then writes until every reserved slot is released. An
 * offer reads the flag after its reservation: either it sees the flag and fills its slot with a
 * marker that is skipped, or close sees the reservation and waits for the event.
 */
final class EventBuffer {
  /** The largest capacity: the slots are allocated up front. */
  static final int MAX_CAPACITY = Metering.MAX_BUFFER_CAPACITY;

  private static final Logger LOG = LoggerFactory.getLogger(EventBuffer.class);
  private static final VarHandle PRODUCED;
  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Checked[].class);

  /** Fills the slot of an offer that found the buffer closed; never written. */
  private static final Checked SKIPPED = Checked.placeholder();

  static {
    try {
      PRODUCED = MethodHandles.lookup().findVarHandle(EventBuffer.class, "produced", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int capacity;
  private final Backpressure backpressure;
  private final int maxBatch;
  private final int earlyFlushAt;
  private final BatchWriter writer;
  private final Checked[] slots;
  private final int mask;
  private final ReentrantLock flushLock = new ReentrantLock();
  private final List<Checked> retry = new ArrayList<>();
  private final AtomicBoolean earlyFlushPending = new AtomicBoolean();

  /** Slots reserved so far; written through {@link #PRODUCED}. */
  @SuppressWarnings("unused")
  private volatile long produced;

  /** Released slots plus the capacity: a slot below it may be reserved. */
  private volatile long limit;

  /** Slots read by the writer; under {@code flushLock}. */
  private long consumed;

  /** Slots whose events are written (or skipped); under {@code flushLock}. */
  private long released;

  private volatile boolean closed;
  private volatile Runnable earlyFlush = () -> {};

  EventBuffer(int capacity, Backpressure backpressure, int maxBatch, BatchWriter writer) {
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("capacity must be 1 to " + MAX_CAPACITY);
    }
    this.capacity = capacity;
    this.backpressure = backpressure;
    this.maxBatch = maxBatch;
    // A full batch is the store's unit of work, so there is no gain in letting more wait: events
    // held for long survive young collections, and copying them costs more than writing them.
    this.earlyFlushAt = Math.min(maxBatch, (capacity + 1) / 2);
    this.writer = writer;
    int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    this.slots = new Checked[size];
    this.mask = size - 1;
    this.limit = capacity;
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
      long p = produced;
      long free = limit;
      if (p < free) {
        if (!PRODUCED.compareAndSet(this, p, p + 1)) {
          continue;
        }
        int slot = (int) p & mask;
        // Reserved first, then the flag read: see the class comment.
        if (closed) {
          SLOTS.setRelease(slots, slot, SKIPPED);
          throw closedException();
        }
        SLOTS.setRelease(slots, slot, event);
        if (p + 1 - (free - capacity) >= earlyFlushAt
            && !earlyFlushPending.get()
            && earlyFlushPending.compareAndSet(false, true)) {
          earlyFlush.run();
        }
        return RecordOutcome.queued();
      }
      if (closed) {
        throw closedException();
      }
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

  private static IllegalStateException closedException() {
    return new UsageMeterClosedException();
  }

  /** How many events are waiting or being written. */
  int held() {
    return (int) (produced - (limit - capacity));
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
      if (held() == 0) {
        return;
      }
      // An offer reserved its slot before the flag was set and has yet to fill it.
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
      long target = produced;
      while (released < target) {
        List<Checked> batch = new ArrayList<>((int) Math.min(target - released, maxBatch));
        // A failed batch is never larger than a batch, so it all goes first into this one.
        batch.addAll(retry);
        retry.clear();
        // The loop reads and writes no field of the buffer: they share a cache line with
        // produced, which every offer updates. consumed is stored once per batch.
        Checked[] ring = slots;
        int ringMask = mask;
        int batchSize = maxBatch;
        long end = consumed;
        while (batch.size() < batchSize && end < target) {
          int slot = (int) end & ringMask;
          Checked next = (Checked) SLOTS.getAcquire(ring, slot);
          if (next == null) {
            // Reserved, not yet published: an offer under way.
            break;
          }
          ring[slot] = null;
          end++;
          if (next != SKIPPED) {
            batch.add(next);
          }
        }
        consumed = end;
        if (!batch.isEmpty()) {
          List<RecordOutcome> outcomes;
          try {
            outcomes = writer.write(batch);
          } catch (RuntimeException e) {
            retry.addAll(batch);
            throw e;
          }
          report(batch, outcomes);
        } else if (end == released) {
          return;
        }
        released = end;
        // Publishes the cleared slots to the offers that may now reuse them.
        limit = end + capacity;
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
