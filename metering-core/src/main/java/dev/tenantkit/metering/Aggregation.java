package dev.tenantkit.metering;

/**
 * How a meter's events combine into one value for a period. A query may also read a meter's events
 * as another aggregation than the one it declares, where {@link
 * MeterDefinition#readableAs(Aggregation)} allows it.
 */
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
  LATEST,
  /**
   * The time-weighted average of a running level, for gauges such as GB stored, as Lago's {@code
   * weighted_sum_agg}: each event's quantity is an increment (+5 GB, -2 GB) of the level, which
   * carries over from every earlier event (the level at a period's start is the sum of all events
   * before it). For a period, the sum over the intervals in which a level was held of level x
   * seconds held, divided by the seconds in the period; exact, divided once at 12 decimals half-up.
   * Computed from raw events (rollups cannot hold when within an hour each event happened), so only
   * within the raw-event retention; the opening level comes from rollups as a sum does.
   */
  WEIGHTED_SUM
}
