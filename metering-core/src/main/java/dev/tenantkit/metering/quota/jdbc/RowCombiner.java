package dev.tenantkit.metering.quota.jdbc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Merges concurrent conditional changes of one quota row (one tenant's counter or bucket) into one
 * statement: a hot tenant's request threads then share a round trip and a row lock instead of
 * queueing on the row one after the other.
 *
 * <p>Group commit without a thread of its own: a caller queues its change; if no change of the row
 * is running it leads, taking every queued change that can be merged with the first one (same
 * period, bound and expected override), and applies their sum as one change. The sum is admitted
 * only if all of it fits, so each part would have fitted alone, in queue order; part {@code i} then
 * gets the row's value after it: the new value less the parts queued after it. When the sum is not
 * admitted (some parts might be), every part gets {@link #ALONE} and its caller applies it alone,
 * so no change is refused because of another. A caller alone applies its change at once, so merging
 * costs nothing without concurrency. Thread-safe.
 *
 * <p>A merged change is applied exactly once. It carries a fresh operation id that the store
 * records in the change's own transaction ({@link Change#applyOnce}); when the call fails, its
 * outcome is unknown (the connection may have dropped after the commit), so it is called once more
 * with the same id, which answers what the first call did if that one committed. Its parts are
 * never applied again one by one: that charged twice when the merged change had committed. If the
 * second call fails too, every part fails with it, as a change alone would.
 */
final class RowCombiner {
  /** What {@link #submit} answers when the caller must apply its change alone. */
  static final long ALONE = Long.MIN_VALUE;

  /** One kind of conditional change of the row, as the fast path runs it. */
  interface Change {
    /**
     * Adds {@code amount} (at {@code at}: the period, or the time of a bucket) if the row stays
     * within {@code bound} and its override is {@code override}; returns the new value, or {@link
     * PostgresFastPath#NOT_MADE} if nothing changed.
     */
    long apply(long at, long amount, long bound, long override);

    /**
     * {@link #apply}, recorded under {@code op} in the same transaction: a second call with the
     * same {@code op} changes nothing and returns what the first returned, if the first committed a
     * change. Also deletes the record of {@code forget}, a merged change that has its answer (null
     * for none).
     */
    long applyOnce(long at, long amount, long bound, long override, UUID op, UUID forget);
  }

  private final Object monitor = new Object();
  private final ArrayDeque<Part> queue = new ArrayDeque<>();
  private boolean leading;

  /** The last merged change that has its answer, whose record the next one deletes; leader only. */
  private UUID answered;

  /**
   * Applies {@code amount} to the row with {@code change}, merged with concurrent changes of the
   * same kind where possible, and returns what {@code change} would have returned for this change
   * alone, or {@link #ALONE}.
   *
   * @param latestAt whether merged parts may differ in {@code at}, the merged change taking the
   *     latest (the time of a bucket: a part taken a little later than asked), or must agree (a
   *     counter's period)
   * @param bound the row's bound (ceiling or burst): parts merge only under the same one
   * @param override the override the part expects: parts merge only under the same one
   * @throws RuntimeException what {@code change} threw, when this change ran alone
   */
  long submit(boolean latestAt, long at, long amount, long bound, long override, Change change) {
    Part mine = new Part(change, latestAt, at, amount, bound, override, Thread.currentThread());
    boolean interrupted = false;
    try {
      while (true) {
        List<Part> batch = null;
        synchronized (monitor) {
          if (mine.done) {
            if (mine.failure != null) {
              throw mine.failure;
            }
            return mine.result;
          }
          if (!mine.queued) {
            queue.add(mine);
            mine.queued = true;
          }
          if (!leading) {
            leading = true;
            batch = drain();
          }
        }
        if (batch != null) {
          lead(batch);
        } else {
          // Woken when our part is done, or when the row is free and ours is first in line. A
          // leader may be applying our part, so an interrupt does not end the wait: it is kept.
          LockSupport.park(this);
          interrupted |= Thread.interrupted();
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The head of the queue and every queued part that merges with it, in queue order. */
  private List<Part> drain() {
    List<Part> batch = new ArrayList<>();
    Part head = queue.poll();
    batch.add(head);
    for (Iterator<Part> it = queue.iterator(); it.hasNext(); ) {
      Part p = it.next();
      if (head.mergesWith(p)) {
        batch.add(p);
        it.remove();
      }
    }
    return batch;
  }

  /** Applies the batch, whose parts may all be other callers'. */
  private void lead(List<Part> batch) {
    try {
      if (batch.size() == 1) {
        Part only = batch.get(0);
        try {
          only.result = only.change.apply(only.at, only.amount, only.bound, only.override);
        } catch (RuntimeException e) {
          only.failure = e;
        }
      } else {
        applyMerged(batch);
      }
    } finally {
      Part next;
      synchronized (monitor) {
        leading = false;
        for (Part p : batch) {
          p.done = true;
        }
        next = queue.peek();
      }
      // Wake exactly the callers that have their answer, and the next in line to lead.
      Thread self = Thread.currentThread();
      for (Part p : batch) {
        if (p.thread != self) {
          LockSupport.unpark(p.thread);
        }
      }
      if (next != null) {
        LockSupport.unpark(next.thread);
      }
    }
  }

  private void applyMerged(List<Part> batch) {
    Part head = batch.get(0);
    long total = 0;
    long at = head.at;
    for (Part p : batch) {
      total += p.amount;
      at = Math.max(at, p.at);
      if (total < 0) {
        // The sum overflows: no bound admits it anyway.
        batch.forEach(q -> q.result = ALONE);
        return;
      }
    }
    UUID op = UUID.randomUUID();
    long after;
    try {
      after = applyOnce(head, at, total, op);
    } catch (RuntimeException e) {
      batch.forEach(p -> p.failure = e);
      return;
    }
    // The next merged change deletes op's record; there is none if nothing changed.
    answered = after == PostgresFastPath.NOT_MADE ? null : op;
    if (after == PostgresFastPath.NOT_MADE) {
      batch.forEach(p -> p.result = ALONE);
      return;
    }
    long value = after - total;
    for (Part p : batch) {
      value += p.amount;
      p.result = value;
    }
  }

  /**
   * Calls {@code head}'s change merged, and once more with the same id if the outcome is unknown.
   */
  private long applyOnce(Part head, long at, long total, UUID op) {
    try {
      return head.change.applyOnce(at, total, head.bound, head.override, op, answered);
    } catch (RuntimeException unknown) {
      try {
        return head.change.applyOnce(at, total, head.bound, head.override, op, answered);
      } catch (RuntimeException again) {
        again.addSuppressed(unknown);
        throw again;
      }
    }
  }

  /**
   * One caller's change. Fields other than the arguments are guarded by the monitor; {@code result}
   * starts as {@link #ALONE}, so a part whose leader died of an {@link Error} is retried alone.
   */
  private static final class Part {
    final Change change;
    final boolean latestAt;
    final long at;
    final long amount;
    final long bound;
    final long override;
    final Thread thread;
    boolean queued;
    boolean done;
    long result = ALONE;
    RuntimeException failure;

    Part(
        Change change,
        boolean latestAt,
        long at,
        long amount,
        long bound,
        long override,
        Thread thread) {
      this.thread = thread;
      this.change = change;
      this.latestAt = latestAt;
      this.at = at;
      this.amount = amount;
      this.bound = bound;
      this.override = override;
    }

    boolean mergesWith(Part p) {
      return change == p.change
          && latestAt == p.latestAt
          && (latestAt || at == p.at)
          && bound == p.bound
          && override == p.override;
    }
  }
}
