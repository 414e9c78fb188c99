package dev.tenantkit.metering;

/** The bucket size of a time series. Buckets start at boundaries in the query's time zone. */
public enum Granularity {
  /** One-minute buckets; only within the raw-event retention. */
  MINUTE,
  /** One-hour buckets. */
  HOUR,
  /** Calendar days. */
  DAY,
  /** Calendar months. */
  MONTH
}
