package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.RecordOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Group commit for durable events: callers queue their events; one of them, the leader, drains the
 * queue and writes everything queued in one store transaction while the others wait; then the
 * waiting callers elect the next leader among themselves. No thread of its own: the leader is
 * always a caller. Under load the cost of a commit is shared by every caller that arrived while the
 * previous one was running. Thread-safe.
 */
final class GroupCommit {
  private final BatchWriter writer;
  private final int maxBatch;
  private final Object monitor = new Object();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private boolean leading;

  GroupCommit(BatchWriter writer, int maxBatch) {
    this.writer = writer;
    this.maxBatch = maxBatch;
  }

  /**
   * Writes the events and returns when they are committed (or refused).
   *
   * @throws RuntimeException the store's failure, for every caller of the failed batch
   */
  List<RecordOutcome> submit(List<Checked> events) {
    Request mine = new Request(events);
    boolean interrupted = false;
    try {
      while (true) {
        List<Request> batch;
        synchronized (monitor) {
          if (!mine.queued) {
            queue.add(mine);
            mine.queued = true;
          }
          while (!mine.done && leading) {
            try {
              monitor.wait();
            } catch (InterruptedException e) {
              // The leader may be writing our events: we must learn the outcome, so keep waiting.
              interrupted = true;
            }
          }
          if (mine.done) {
            return mine.result();
          }
          leading = true;
          batch = drain();
        }
        lead(batch);
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private List<Request> drain() {
    List<Request> batch = new ArrayList<>();
    int events = 0;
    while (!queue.isEmpty()
        && (batch.isEmpty() || events + queue.peek().events.size() <= maxBatch)) {
      Request r = queue.poll();
      events += r.events.size();
      batch.add(r);
    }
    return batch;
  }

  private void lead(List<Request> batch) {
    List<Checked> all = new ArrayList<>();
    batch.forEach(r -> all.addAll(r.events));
    List<RecordOutcome> outcomes = null;
    Throwable failure = null;
    try {
      outcomes = writer.write(all);
    } catch (RuntimeException | Error e) {
      // Handed to every caller of the batch; the leader must still step down below.
      failure = e;
    }
    synchronized (monitor) {
      int at = 0;
      for (Request r : batch) {
        if (failure == null) {
          r.outcomes = outcomes.subList(at, at + r.events.size());
        } else {
          r.failure = failure;
        }
        at += r.events.size();
        r.done = true;
      }
      leading = false;
      monitor.notifyAll();
    }
  }

  private static final class Request {
    final List<Checked> events;
    boolean queued;
    boolean done;
    List<RecordOutcome> outcomes;
    Throwable failure;

    Request(List<Checked> events) {
      this.events = events;
    }

    List<RecordOutcome> result() {
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      return outcomes;
    }
  }
}
