package dev.tenantkit.metering.quota;

import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's usage of a limit reached one of the catalog's thresholds. Published once per tenant,
 * limit, period and threshold, even with several application instances. Immutable.
 *
 * @param tenant the tenant
 * @param limitName the limit
 * @param kind {@link LimitKind#ALLOWANCE} or {@link LimitKind#GAUGE}; rate limits publish no
 *     thresholds
 * @param thresholdPercent the threshold reached, such as 80
 * @param used usage right after the consumption that reached it
 * @param limit the effective limit
 * @param hard whether the limit is enforced
 * @param periodStart the start of the allowance period; for a gauge, the start of the calendar
 *     month (a gauge above a threshold is reported again the next month)
 * @param at when it happened
 */
public record QuotaThresholdEvent(
    TenantId tenant,
    String limitName,
    LimitKind kind,
    int thresholdPercent,
    long used,
    long limit,
    boolean hard,
    Instant periodStart,
    Instant at) {

  /** Checks that no object component is null. */
  public QuotaThresholdEvent {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(limitName, "limitName");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(periodStart, "periodStart");
    Objects.requireNonNull(at, "at");
  }
}
