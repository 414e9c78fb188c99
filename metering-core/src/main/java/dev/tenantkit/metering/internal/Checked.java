package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An event after validation: either valid and ready to store, or refused.
 *
 * <p>Validation runs on the caller's thread and does only what decides the outcome; the rest (the
 * normalised event, a generated key, the payload hash) is prepared by {@link #prepare} when the
 * event is written, once: a buffered batch that failed and is written again keeps its key, so a
 * store that committed the first attempt sees the retry as a duplicate. Not thread-safe: {@link
 * #prepare} runs on the thread that writes the event; the buffer's flush lock orders a retry after
 * the failed write, and a durable event is written by one group-commit leader only.
 */
final class Checked {
  private final UsageEvent original;
  private final MeterDefinition meter;
  private final long micros;
  private final RecordOutcome rejection;
  private UsageEvent normalised;
  private String payloadHash;

  private Checked(
      UsageEvent original, MeterDefinition meter, long micros, RecordOutcome rejection) {
    this.original = original;
    this.meter = meter;
    this.micros = micros;
    this.rejection = rejection;
  }

  /**
   * A valid event.
   *
   * @param micros the caller's timestamp or the usage meter's clock, in microseconds since the
   *     epoch
   */
  static Checked valid(UsageEvent original, MeterDefinition meter, long micros) {
    return new Checked(original, meter, micros, null);
  }

  /** A marker that stands for no event; never written. */
  static Checked placeholder() {
    return new Checked(null, null, 0, null);
  }

  static Checked refused(UsageEvent original, RecordOutcome rejection) {
    return new Checked(original, null, 0, rejection);
  }

  boolean refused() {
    return rejection != null;
  }

  /** The refusal, or {@code null}. */
  RecordOutcome rejection() {
    return rejection;
  }

  /** The meter of a valid event. */
  MeterDefinition meter() {
    return meter;
  }

  /** When a valid event happened, in microseconds since the epoch. */
  long micros() {
    return micros;
  }

  /** The event as the caller gave it. */
  UsageEvent original() {
    return original;
  }

  /**
   * Computes, on the first call, the normalised event (quantity, timestamp, and a generated key
   * when the caller gave none) and its payload hash.
   */
  void prepare(GeneratedKeys.Block keys) {
    if (normalised != null) {
      return;
    }
    // Normalised again rather than kept from validation: one field less in every event the caller
    // allocates, and for the usual whole quantity this returns it as it is.
    BigDecimal quantity = Quantities.normalize(original.quantity());
    Instant timestamp = EventClock.ofMicros(micros);
    String key = original.idempotencyKey();
    if (key == null) {
      key = keys.next();
      // A generated key is never retried, so no later event can be its duplicate: nothing will
      // compare this hash, and SHA-256 is most of what an event costs to write.
      payloadHash = PayloadHash.NOT_COMPARED;
    } else {
      Instant explicit = original.timestamp() == null ? null : timestamp;
      payloadHash = PayloadHash.of(original, quantity, explicit);
    }
    normalised =
        new UsageEvent(
            original.tenantId(),
            original.meter(),
            quantity,
            timestamp,
            key,
            original.dimensions(),
            original.properties(),
            original.userId(),
            original.source());
  }

  /** The normalised event; after {@link #prepare}. */
  UsageEvent event() {
    return normalised;
  }

  /** The payload hash, or {@link PayloadHash#NOT_COMPARED}; after {@link #prepare}. */
  String payloadHash() {
    return payloadHash;
  }
}
