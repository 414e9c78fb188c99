package dev.tenantkit.metering.spi;

import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * The per-tenant state of the rollup job, which tells queries where rollups end and raw events
 * begin.
 *
 * @param tenantId the tenant
 * @param rolledUpTo every hour before this instant is rolled up (hourly rollups, and daily ones for
 *     whole UTC days); {@code null} if nothing was rolled up yet. Always a whole UTC hour
 * @param rawEventsFrom raw events before this instant were deleted; {@code null} if none were.
 *     Never after {@code rolledUpTo}
 */
public record TenantMarks(TenantId tenantId, Instant rolledUpTo, Instant rawEventsFrom) {

  /** Checks the tenant. */
  public TenantMarks {
    Objects.requireNonNull(tenantId, "tenantId");
  }

  /** The marks of a tenant that has no rollups yet. */
  public static TenantMarks none(TenantId tenantId) {
    return new TenantMarks(tenantId, null, null);
  }
}
