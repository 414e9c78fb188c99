package dev.tenantkit.metering.analytics;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * A kind of failure that recurs: one HTTP status on one endpoint. Immutable.
 *
 * @param status the HTTP status as recorded, such as {@code 429}; empty when not recorded
 * @param endpoint the endpoint (route template) as recorded; empty when not recorded
 * @param count how many of the examined errors had this status and endpoint
 * @param share {@code count} over the errors examined, a fraction rounded half-up to 4 decimals
 */
public record ErrorPattern(String status, String endpoint, long count, BigDecimal share) {
  /** Checks that every component is present. */
  public ErrorPattern {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(share, "share");
  }
}
