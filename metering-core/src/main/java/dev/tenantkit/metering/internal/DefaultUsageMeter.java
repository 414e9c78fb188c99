package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Durability;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageMeterClosedException;
import dev.tenantkit.metering.UsageRejectedException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link UsageMeter} of {@code Metering}. Thread-safe.
 *
 * <p>Open and closed: {@link #close()} promises that no event is accepted once it has flushed. A
 * buffered {@link #record} takes no lock for this, since it is the hot path: {@link
 * EventBuffer#close} refuses later offers and writes every event accepted before, including offers
 * under way. Everything else (durable events, and {@link #recordAll}, so that a batch is taken
 * whole or not at all) holds the read side of {@code openLock}, which {@code close()} takes for
 * writing before it closes the buffer.
 */
final class DefaultUsageMeter implements UsageMeter {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultUsageMeter.class);

  private final EventValidator validator;
  private final EventClock clock;
  private final GroupCommit groupCommit;
  private final EventBuffer buffer;
  private final Flusher flusher;
  private final MeteringMetrics metrics;
  private final ReadWriteLock openLock = new ReentrantReadWriteLock();
  private volatile boolean closed;

  DefaultUsageMeter(
      EventValidator validator,
      EventClock clock,
      GroupCommit groupCommit,
      EventBuffer buffer,
      Flusher flusher,
      MeteringMetrics metrics) {
    this.validator = validator;
    this.clock = clock;
    this.groupCommit = groupCommit;
    this.buffer = buffer;
    this.flusher = flusher;
    this.metrics = metrics;
  }

  @Override
  public RecordOutcome record(UsageEvent event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      throw closedException();
    }
    Checked c;
    if (event.timestamp() == null) {
      c = validator.check(event, clock.micros(), null);
    } else {
      Instant now = clock.instant();
      c = validator.check(event, EventClock.toMicros(now), now);
    }
    RecordOutcome outcome;
    if (c.refused()) {
      outcome = c.rejection();
      metrics.rejected(outcome.reason(), event.tenantId());
    } else if (c.meter().durability() == Durability.BUFFERED) {
      outcome = offer(c);
    } else {
      openLock.readLock().lock();
      try {
        if (closed) {
          throw closedException();
        }
        outcome = writeDurable(List.of(c), true).get(0);
      } finally {
        openLock.readLock().unlock();
      }
    }
    if (outcome.status() == RecordOutcome.Status.REJECTED) {
      throw new UsageRejectedException(outcome.reason(), outcome.detail());
    }
    return outcome;
  }

  @Override
  public List<RecordOutcome> recordAll(List<UsageEvent> events) {
    events.forEach(e -> Objects.requireNonNull(e, "events contains null"));
    openLock.readLock().lock();
    try {
      if (closed) {
        throw closedException();
      }
      Instant now = clock.instant();
      long nowMicros = EventClock.toMicros(now);
      RecordOutcome[] outcomes = new RecordOutcome[events.size()];
      List<Checked> durable = new ArrayList<>();
      List<Integer> durableAt = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        Checked c = validator.check(events.get(i), nowMicros, now);
        if (c.refused()) {
          outcomes[i] = c.rejection();
          metrics.rejected(c.rejection().reason(), c.original().tenantId());
        } else if (c.meter().durability() == Durability.BUFFERED) {
          outcomes[i] = offer(c);
        } else {
          durable.add(c);
          durableAt.add(i);
        }
      }
      if (!durable.isEmpty()) {
        List<RecordOutcome> written = writeDurable(durable, false);
        for (int k = 0; k < durableAt.size(); k++) {
          outcomes[durableAt.get(k)] = written.get(k);
        }
      }
      return List.of(outcomes);
    } finally {
      openLock.readLock().unlock();
    }
  }

  private RecordOutcome offer(Checked c) {
    RecordOutcome outcome = buffer.offer(c);
    if (outcome.status() == RecordOutcome.Status.REJECTED) {
      metrics.rejected(outcome.reason(), c.original().tenantId());
    }
    return outcome;
  }

  /** Under the read lock. */
  private List<RecordOutcome> writeDurable(List<Checked> durable, boolean throwStoreFailure) {
    try {
      return groupCommit.submit(durable);
    } catch (RuntimeException e) {
      for (Checked c : durable) {
        metrics.rejected(RejectionReason.STORE_UNAVAILABLE, c.original().tenantId());
      }
      if (throwStoreFailure) {
        throw new UsageRejectedException(
            RejectionReason.STORE_UNAVAILABLE, "the usage store failed; nothing was stored", e);
      }
      LOG.warn("storing {} usage events failed", durable.size(), e);
      RecordOutcome failed =
          RecordOutcome.rejected(
              RejectionReason.STORE_UNAVAILABLE, "the usage store failed; nothing was stored");
      return Collections.nCopies(durable.size(), failed);
    }
  }

  private static IllegalStateException closedException() {
    return new UsageMeterClosedException();
  }

  @Override
  public void flush() {
    if (buffer != null) {
      buffer.flush();
    }
  }

  @Override
  public void close() {
    openLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
    } finally {
      openLock.writeLock().unlock();
    }
    if (flusher != null) {
      flusher.stop();
    }
    if (buffer != null) {
      buffer.close();
    }
  }
}
