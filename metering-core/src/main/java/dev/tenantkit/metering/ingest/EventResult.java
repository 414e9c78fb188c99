package dev.tenantkit.metering.ingest;

import dev.tenantkit.metering.RejectionReason;
import java.util.Locale;
import java.util.Objects;

/**
 * What happened to one ingested event. Immutable.
 *
 * @param index the event's position in the request, from 0 (a single event is index 0)
 * @param id the event's CloudEvents {@code id} as sent, or {@code null} if it had none
 * @param status accepted, duplicate, conflict or rejected
 * @param reason for a conflict or a rejection the stable code of why ({@link
 *     RejectionReason#code()}, {@link UsageIngestor#SUBJECT_MISMATCH} or {@link
 *     UsageIngestor#METER_NOT_INGESTIBLE}), else {@code null}
 * @param field for a conflict or a rejection the member of the event that is at fault, such as
 *     {@code time} or {@code data.quantity}; {@code null} when the event is not at fault (the store
 *     failed, the buffer is full)
 * @param detail for a conflict or a rejection a message fit for the caller, else {@code null}
 */
public record EventResult(
    int index, String id, Status status, String reason, String field, String detail) {

  /** Checks that a reason is given exactly for conflicts and rejections. */
  public EventResult {
    Objects.requireNonNull(status, "status");
    boolean failed = status == Status.CONFLICT || status == Status.REJECTED;
    if (failed != (reason != null)) {
      throw new IllegalArgumentException("a reason is given exactly for conflicts and rejections");
    }
  }

  static EventResult accepted(int index, String id) {
    return new EventResult(index, id, Status.ACCEPTED, null, null, null);
  }

  static EventResult duplicate(int index, String id) {
    return new EventResult(index, id, Status.DUPLICATE, null, null, null);
  }

  static EventResult rejected(int index, String id, String reason, String field, String detail) {
    return new EventResult(index, id, Status.REJECTED, reason, field, detail);
  }

  /**
   * Whether sending the same event again later may succeed: the store was unreachable or the buffer
   * was full. Every other rejection repeats until the event is changed.
   */
  public boolean retryable() {
    return RejectionReason.STORE_UNAVAILABLE.code().equals(reason)
        || RejectionReason.BUFFER_FULL.code().equals(reason);
  }

  /** The outcome of one event. */
  public enum Status {
    /**
     * Recorded: stored for a durable meter, in the bounded buffer of a buffered meter (see {@link
     * dev.tenantkit.metering.Durability}).
     */
    ACCEPTED,
    /**
     * The tenant sent an event with this {@code source} and {@code id} before, with the same
     * payload; counted once. A success: the client may stop retrying.
     */
    DUPLICATE,
    /**
     * The tenant sent an event with this {@code source} and {@code id} before, with another
     * payload; not recorded.
     */
    CONFLICT,
    /** Not recorded; see the reason and field. */
    REJECTED;

    /** The status as written in JSON: {@code accepted}, {@code duplicate} and so on. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
