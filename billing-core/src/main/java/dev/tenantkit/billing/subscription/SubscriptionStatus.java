package dev.tenantkit.billing.subscription;

/** Where a subscription stands at an instant. */
public enum SubscriptionStatus {
  /** Before its start. */
  FUTURE,
  /** In its trial: nothing of the flat fees is billed for these days. */
  TRIAL,
  /** Billed. */
  ACTIVE,
  /** Paused: nothing new is billed until it is resumed. */
  PAUSED,
  /** Ended: nothing is billed from the end on. */
  CANCELED
}
