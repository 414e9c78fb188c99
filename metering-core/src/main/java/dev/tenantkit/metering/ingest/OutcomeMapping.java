package dev.tenantkit.metering.ingest;

import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;

/**
 * Turns the meter's {@link RecordOutcome} of a mapped event into its {@link EventResult}, naming
 * the member of the CloudEvent at fault. The meter reports a reason and a detail, not a field; the
 * reasons that can concern several members ({@link RejectionReason#OVERSIZED}, {@link
 * RejectionReason#MALFORMED}) are told apart by the subject their detail starts with, which {@code
 * OutcomeMappingTest} pins against the real validator. Stateless and thread-safe.
 */
final class OutcomeMapping {
  private OutcomeMapping() {}

  static EventResult of(int index, CloudEventMapper.Mapped m, RecordOutcome outcome) {
    switch (outcome.status()) {
      case ACCEPTED, QUEUED:
        return EventResult.accepted(index, m.id());
      case DUPLICATE:
        return EventResult.duplicate(index, m.id());
      default:
        break;
    }
    RejectionReason reason = outcome.reason();
    if (reason == RejectionReason.IDEMPOTENCY_CONFLICT) {
      return new EventResult(
          index,
          m.id(),
          EventResult.Status.CONFLICT,
          reason.code(),
          "id",
          "this source sent an event with this id before, with another payload");
    }
    return EventResult.rejected(index, m.id(), reason.code(), field(m, outcome), outcome.detail());
  }

  private static String field(CloudEventMapper.Mapped m, RecordOutcome outcome) {
    String detail = outcome.detail() == null ? "" : outcome.detail();
    return switch (outcome.reason()) {
      case UNKNOWN_METER -> "type";
      case INVALID_QUANTITY -> m.quantityField();
      case TOO_LATE, IN_FUTURE -> "time";
      case UNDECLARED_DIMENSION -> "data.dimensions";
      case OVERSIZED, MALFORMED -> fieldOf(m, detail);
      case IDEMPOTENCY_CONFLICT -> "id";
      case BUFFER_FULL, STORE_UNAVAILABLE -> null;
    };
  }

  private static String fieldOf(CloudEventMapper.Mapped m, String detail) {
    if (detail.startsWith("dimension '")) {
      int end = detail.indexOf('\'', "dimension '".length());
      String key = end < 0 ? "" : detail.substring("dimension '".length(), end);
      return m.dimensionFields().getOrDefault(key, "data.dimensions");
    }
    if (detail.startsWith("user id")) {
      return "data.userId";
    }
    if (detail.startsWith("source")) {
      return "source";
    }
    if (detail.startsWith("idempotency key")) {
      return "id";
    }
    return "data.properties";
  }
}
