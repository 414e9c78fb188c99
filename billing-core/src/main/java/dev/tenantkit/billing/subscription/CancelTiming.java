package dev.tenantkit.billing.subscription;

/** When a cancellation takes effect. */
public enum CancelTiming {
  /** At the end of the current billing period: what was paid in advance is used up. */
  AT_PERIOD_END,
  /** At once; the unused days of a fee paid in advance are credited (the cancel day among them). */
  NOW
}
