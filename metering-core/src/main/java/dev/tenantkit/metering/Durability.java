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
   */
  BUFFERED
}
