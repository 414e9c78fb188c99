package dev.tenantkit.metering.spi;

import dev.tenantkit.metering.UsageEvent;
import java.time.Instant;
import java.util.Objects;

/**
 * An event the core has validated and is handing to {@link UsageStore#append}.
 *
 * @param event the event, with its idempotency key and timestamp always set and its quantity and
 *     timestamp normalised
 * @param payloadHash the hex SHA-256 of the event's canonical payload, kept with the key so a later
 *     event under the same key can be told apart as a duplicate or a conflict; for an event whose
 *     key the core generated (it is never retried, so nothing compares its hash) the marker {@code
 *     "-"}, which equals no hash. Stores keep and return it as given, whatever it is
 * @param recordedAt when the core handed it over, by its clock
 */
public record NewEvent(UsageEvent event, String payloadHash, Instant recordedAt) {

  /** Checks that key, timestamp and hash are present. */
  public NewEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(event.idempotencyKey(), "event.idempotencyKey");
    Objects.requireNonNull(event.timestamp(), "event.timestamp");
    Objects.requireNonNull(payloadHash, "payloadHash");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }
}
