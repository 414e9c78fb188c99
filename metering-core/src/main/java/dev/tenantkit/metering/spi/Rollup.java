package dev.tenantkit.metering.spi;

import dev.tenantkit.metering.Granularity;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One aggregate row: a meter's events of one tenant in one hourly or daily bucket, either all of
 * them ({@code dimension} empty) or those with one value of one declared dimension. The core
 * computes and merges these; a store only keeps them. The two byte-array components are opaque,
 * versioned encodings owned by the core (distinct user ids, a DDSketch); a store keeps them as
 * given. Arrays are not copied: treat them as read-only.
 *
 * @param tenantId the tenant
 * @param meter the meter
 * @param granularity {@link Granularity#HOUR} or {@link Granularity#DAY}
 * @param bucketStart the start of the UTC hour or day
 * @param dimension the dimension key, or {@code ""} for the row of all events
 * @param dimensionValue the dimension's value ({@code ""} for events without it), or {@code ""}
 * @param count how many events
 * @param sum the sum of their quantities
 * @param max the largest quantity
 * @param latestAt the timestamp of the latest event
 * @param latestId the store id of the latest event, which breaks timestamp ties
 * @param latestValue the quantity of the latest event
 * @param users the encoded distinct user ids, or {@code null} when the meter does not need them
 * @param sketch the encoded DDSketch of quantities, or {@code null} when the meter keeps none
 */
@SuppressWarnings("ArrayRecordComponent") // opaque blobs, compared by the core after decoding
public record Rollup(
    TenantId tenantId,
    String meter,
    Granularity granularity,
    Instant bucketStart,
    String dimension,
    String dimensionValue,
    long count,
    BigDecimal sum,
    BigDecimal max,
    Instant latestAt,
    long latestId,
    BigDecimal latestValue,
    byte[] users,
    byte[] sketch) {

  /** Checks required components and the granularity. */
  public Rollup {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(bucketStart, "bucketStart");
    Objects.requireNonNull(dimension, "dimension");
    Objects.requireNonNull(dimensionValue, "dimensionValue");
    Objects.requireNonNull(sum, "sum");
    Objects.requireNonNull(max, "max");
    Objects.requireNonNull(latestAt, "latestAt");
    Objects.requireNonNull(latestValue, "latestValue");
    if (granularity != Granularity.HOUR && granularity != Granularity.DAY) {
      throw new IllegalArgumentException("rollups are hourly or daily");
    }
  }
}
