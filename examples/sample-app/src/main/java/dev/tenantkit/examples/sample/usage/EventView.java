package dev.tenantkit.examples.sample.usage;

import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A raw usage event as {@code GET /api/analytics/events} lists it: the stored event without its
 * tenant (always the caller's).
 *
 * @param id the store's id, increasing in recording order
 * @param meter the meter
 * @param quantity the quantity
 * @param timestamp when the usage happened
 * @param recordedAt when it was stored
 * @param idempotencyKey the key it was recorded under
 * @param dimensions its dimensions
 * @param properties its free-form properties
 * @param userId the user who caused it, or null
 * @param source where it came from, or null
 */
record EventView(
    long id,
    String meter,
    BigDecimal quantity,
    Instant timestamp,
    Instant recordedAt,
    String idempotencyKey,
    Map<String, String> dimensions,
    Map<String, String> properties,
    String userId,
    String source) {

  static EventView of(RecordedEvent recorded) {
    UsageEvent e = recorded.event();
    return new EventView(
        recorded.id(),
        e.meter(),
        e.quantity(),
        e.timestamp(),
        recorded.recordedAt(),
        e.idempotencyKey(),
        e.dimensions(),
        e.properties(),
        e.userId(),
        e.source());
  }
}
