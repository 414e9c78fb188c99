package dev.tenantkit.metering;

/** When {@link UsageMeter#record} returns, chosen per meter. */
public enum Durability {
  /**
   * After the event is committed to the store. Concurrent callers share one commit (group commit),
   * so durability costs one round trip per batch, not per event. A crash loses nothing that was
   * acknowledged.
   */
  DURABLE,
  /**
   * After the event is in a bounded in-memory buffer that a flusher writes in batches. A crash
   * loses at most the events buffered since the last flush (at most the buffer capacity); {@code
   * close()} flushes.
   *
   * <p>While the store is unreachable, batches stay buffered and are retried. An event that has
   * waited longer than {@code maxLateness + flushInterval + 1 minute} (about an hour by default) is
   * then dropped, because the rollup job may have closed its hour: it is logged and counted as
   * rejected ({@code TOO_LATE}) in the {@code tenantkit.usage.events.rejected} metric, although its
   * caller was told {@link RecordOutcome.Status#QUEUED}. Use {@link #DURABLE} for events that must
   * survive a long outage of the store.
   */
  BUFFERED
}
