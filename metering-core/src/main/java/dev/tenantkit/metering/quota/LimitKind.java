package dev.tenantkit.metering.quota;

/** What a limit counts and how its usage comes back. */
public enum LimitKind {
  /**
   * An amount per calendar period ({@link ResetPeriod#DAY} or {@link ResetPeriod#MONTH}); usage
   * starts again from zero at the period boundary in the catalog's time zone.
   */
  ALLOWANCE,
  /**
   * A token bucket: at most {@code limit} tokens at once, refilled continuously at a fixed rate.
   * Used for request rates.
   */
  RATE,
  /**
   * An amount in use, such as files or bytes stored: consumption raises it and {@link
   * QuotaEnforcer#release} lowers it again; it never resets by itself.
   */
  GAUGE
}
