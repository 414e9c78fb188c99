package dev.tenantkit.metering;

import java.time.Instant;

/**
 * A stored raw event, as listed and exported.
 *
 * @param id the store's id of the event, increasing in recording order
 * @param event the event as recorded (with its assigned idempotency key)
 * @param recordedAt when it was stored
 */
public record RecordedEvent(long id, UsageEvent event, Instant recordedAt) {}
