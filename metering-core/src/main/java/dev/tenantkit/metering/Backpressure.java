package dev.tenantkit.metering;

/** What recording a {@link Durability#BUFFERED} event does when the buffer is full. */
public enum Backpressure {
  /**
   * The caller writes the buffer to the store itself and then waits for room, so a burst slows the
   * callers down instead of losing events.
   */
  BLOCK,
  /** The event is refused at once with {@link RejectionReason#BUFFER_FULL}. */
  REJECT
}
