package dev.tenantkit.metering;

import java.util.List;

/**
 * Records usage events. Each meter's {@link Durability} decides when {@code record} returns; the
 * idempotency key makes retries safe: the tenant's key is remembered for at least 35 days by a
 * unique index in the store, and an event under a used key is counted once (or reported as a
 * conflict when its payload differs).
 *
 * <p>Implementations are thread-safe. {@link #close()} flushes buffered events and stops the
 * flusher; recording after close throws {@link UsageMeterClosedException} (an {@link
 * IllegalStateException}).
 */
public interface UsageMeter extends AutoCloseable {

  /**
   * Records one event.
   *
   * @return accepted (durable meter), queued (buffered meter) or duplicate
   * @throws UsageRejectedException if the event breaks a rule of its meter, its key was used for a
   *     different payload, the buffer is full ({@link RejectionReason#BUFFER_FULL}) or the store
   *     failed ({@link RejectionReason#STORE_UNAVAILABLE}, retry with the same key); nothing is
   *     recorded
   */
  RecordOutcome record(UsageEvent event);

  /**
   * Records many events, reporting per event; a bad event never stops the good ones. Durable
   * meters' events are stored before this returns.
   *
   * @return one outcome per event, in order
   */
  List<RecordOutcome> recordAll(List<UsageEvent> events);

  /**
   * Writes every buffered event now; returns when they are stored.
   *
   * @throws RuntimeException the store's failure; the events stay buffered and are retried
   */
  void flush();

  /** Flushes and stops; idempotent. */
  @Override
  void close();
}
