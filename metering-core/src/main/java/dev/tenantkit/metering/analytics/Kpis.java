package dev.tenantkit.metering.analytics;

import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's key figures today and over a period. Immutable.
 *
 * @param asOf when they were computed
 * @param today from the start of today (in the analytics' zone) to now
 * @param period the period asked for
 */
public record Kpis(Instant asOf, KpiWindow today, KpiWindow period) {
  /** Checks that every component is present. */
  public Kpis {
    Objects.requireNonNull(asOf, "asOf");
    Objects.requireNonNull(today, "today");
    Objects.requireNonNull(period, "period");
  }
}
