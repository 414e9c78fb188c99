package dev.tenantkit.metering;

import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One usage event as a caller hands it to {@link UsageMeter}. Structure is checked here; the rules
 * of its meter (declared dimensions, sign, lateness, sizes) are checked when it is recorded.
 * Immutable; build with {@link #builder(TenantId, String)}.
 *
 * @param tenantId whose usage it is
 * @param meter the declared meter's name
 * @param quantity how much; exact, never a double
 * @param timestamp when the usage happened; the event lands in the window of this time. {@code
 *     null} means "now": the usage meter stamps it with its clock when it records the event, and a
 *     retry under the same idempotency key is then compared without the time (a retried request
 *     rebuilds the event a moment later). Kept to the microsecond
 * @param idempotencyKey the caller's key for this event, 1 to 128 printable ASCII characters; an
 *     event whose key the tenant already used is counted once. {@code null} means the caller does
 *     not retry, and a unique key is generated when the event is written
 * @param dimensions declared dimensions of the meter, each value at most 256 characters
 * @param properties free-form properties, stored and exported but not aggregated; at most 32
 *     entries and 8 KiB in all
 * @param userId the user who caused it, or {@code null}
 * @param source where it came from (a service, a job), or {@code null}
 */
public record UsageEvent(
    TenantId tenantId,
    String meter,
    BigDecimal quantity,
    Instant timestamp,
    String idempotencyKey,
    Map<String, String> dimensions,
    Map<String, String> properties,
    String userId,
    String source) {

  /** Checks required components and copies the maps. */
  public UsageEvent {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(quantity, "quantity");
    dimensions = Map.copyOf(dimensions);
    properties = Map.copyOf(properties);
  }

  /**
   * A builder of an event of quantity 1, stamped by the usage meter's clock unless a time is set.
   */
  public static Builder builder(TenantId tenantId, String meter) {
    return new Builder(tenantId, meter);
  }

  /** Builder of {@link UsageEvent}. Not thread-safe. */
  public static final class Builder {
    private final TenantId tenantId;
    private final String meter;
    private BigDecimal quantity = BigDecimal.ONE;
    private Instant timestamp;
    private String idempotencyKey;
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private String userId;
    private String source;

    private Builder(TenantId tenantId, String meter) {
      this.tenantId = tenantId;
      this.meter = meter;
    }

    /** The quantity; default 1. */
    public Builder quantity(long quantity) {
      this.quantity = BigDecimal.valueOf(quantity);
      return this;
    }

    /** The quantity; default 1. */
    public Builder quantity(BigDecimal quantity) {
      this.quantity = quantity;
      return this;
    }

    /** When it happened; default {@code null}: the usage meter's clock at record time. */
    public Builder timestamp(Instant timestamp) {
      this.timestamp = timestamp;
      return this;
    }

    /** The caller's idempotency key. */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    /** Adds a dimension. */
    public Builder dimension(String key, String value) {
      dimensions.put(key, value);
      return this;
    }

    /** Adds a free-form property. */
    public Builder property(String key, String value) {
      properties.put(key, value);
      return this;
    }

    /** The user who caused it. */
    public Builder userId(String userId) {
      this.userId = userId;
      return this;
    }

    /** Where it came from. */
    public Builder source(String source) {
      this.source = source;
      return this;
    }

    /** Builds the event. */
    public UsageEvent build() {
      return new UsageEvent(
          tenantId,
          meter,
          quantity,
          timestamp,
          idempotencyKey,
          dimensions,
          properties,
          userId,
          source);
    }
  }
}
