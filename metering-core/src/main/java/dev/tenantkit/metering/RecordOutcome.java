package dev.tenantkit.metering;

import java.util.Objects;

/**
 * What happened to one event handed to {@link UsageMeter}.
 *
 * @param status accepted, queued, duplicate or rejected
 * @param reason why it was rejected, else {@code null}
 * @param detail a message fit for the caller when rejected, else {@code null}
 */
public record RecordOutcome(Status status, RejectionReason reason, String detail) {
  private static final RecordOutcome ACCEPTED = new RecordOutcome(Status.ACCEPTED, null, null);
  private static final RecordOutcome QUEUED = new RecordOutcome(Status.QUEUED, null, null);
  private static final RecordOutcome DUPLICATE = new RecordOutcome(Status.DUPLICATE, null, null);

  /** Checks that a reason is given exactly when rejected. */
  public RecordOutcome {
    Objects.requireNonNull(status, "status");
    if ((status == Status.REJECTED) != (reason != null)) {
      throw new IllegalArgumentException("a reason is given exactly for rejected events");
    }
  }

  /** Stored. */
  public static RecordOutcome accepted() {
    return ACCEPTED;
  }

  /** In the buffer of a buffered meter; duplicates are settled when it is flushed. */
  public static RecordOutcome queued() {
    return QUEUED;
  }

  /** The tenant already used this key for the same payload; counted once. */
  public static RecordOutcome duplicate() {
    return DUPLICATE;
  }

  /** Not recorded. */
  public static RecordOutcome rejected(RejectionReason reason, String detail) {
    return new RecordOutcome(Status.REJECTED, reason, detail);
  }

  /** Whether the event is, or will be, counted exactly once. */
  public boolean counted() {
    return status != Status.REJECTED;
  }

  /** The possible outcomes. */
  public enum Status {
    /** Stored durably. */
    ACCEPTED,
    /**
     * Buffered; see {@link Durability#BUFFERED} for what a crash or a long store outage can lose.
     */
    QUEUED,
    /** Seen before with the same payload. */
    DUPLICATE,
    /** Refused; see the reason. */
    REJECTED
  }
}
