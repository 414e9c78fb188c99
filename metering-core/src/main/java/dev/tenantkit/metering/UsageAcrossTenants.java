package dev.tenantkit.metering;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One meter's usage across tenants, for operator views: the total over every tenant with usage in
 * the range, how many they are, and the largest consumers. Immutable.
 *
 * @param total the tenants' aggregates combined: for a {@link Aggregation#MAX} meter the largest,
 *     for every other meter the sum
 * @param tenants how many tenants had an event of the meter in the range
 * @param top the tenants with the largest aggregate, largest first (ties by tenant id)
 */
public record UsageAcrossTenants(BigDecimal total, int tenants, List<TenantUsage> top) {
  /** Checks the parts and copies the list. */
  public UsageAcrossTenants {
    Objects.requireNonNull(total, "total");
    top = List.copyOf(top);
    if (tenants < top.size()) {
      throw new IllegalArgumentException("fewer tenants than listed");
    }
  }
}
