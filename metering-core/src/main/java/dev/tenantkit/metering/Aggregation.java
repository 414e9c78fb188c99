package dev.tenantkit.metering;

/** How a meter's events combine into one value for a period. */
public enum Aggregation {
  /** The number of events, whatever their quantities. */
  COUNT,
  /** The sum of the quantities (negative quantities allowed only where the meter says so). */
  SUM,
  /** The largest quantity. */
  MAX,
  /** The number of distinct {@link UsageEvent#userId()} values. */
  UNIQUE_COUNT,
  /** The quantity of the latest event by timestamp. */
  LATEST
}
