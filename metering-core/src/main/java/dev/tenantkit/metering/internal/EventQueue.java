package dev.tenantkit.metering.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The queue of a buffer: many producers, one consumer, linked through the events themselves ({@link
 * Checked#next}), so queueing allocates nothing. A producer swaps itself in as the tail with one
 * atomic exchange and then links the previous tail to itself; the consumer follows the links with
 * plain acquiring reads and no atomic operation. An event whose producer has swapped in but not yet
 * linked is not seen until it is linked: {@link #poll} may answer {@code null} while such an offer
 * is under way, which its callers allow for (Dmitry Vyukov's non-intrusive MPSC queue, made
 * intrusive). {@link #add} is thread-safe; {@link #poll} must be called by one thread at a time,
 * which {@link EventBuffer} ensures with its flush lock.
 */
final class EventQueue {
  private static final VarHandle TAIL;
  private static final VarHandle NEXT;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      TAIL = lookup.findVarHandle(EventQueue.class, "tail", Checked.class);
      NEXT = lookup.findVarHandle(Checked.class, "next", Checked.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The last event consumed, or a placeholder; its successor is the first waiting event. */
  private Checked head = Checked.placeholder();

  @SuppressWarnings("unused") // written and read through TAIL
  private volatile Checked tail = head;

  /** Queues the event. An event is queued at most once. */
  void add(Checked event) {
    Checked previous = (Checked) TAIL.getAndSet(this, event);
    NEXT.setRelease(previous, event);
  }

  /** The oldest event, or {@code null} if none is linked yet. Consumer only. */
  Checked poll() {
    Checked next = (Checked) NEXT.getAcquire(head);
    if (next == null) {
      return null;
    }
    // The old head is no longer reachable from the queue; unlinking it lets it be collected.
    NEXT.setRelease(head, null);
    head = next;
    return next;
  }
}
