package dev.tenantkit.metering.quota;

/**
 * What a {@link QuotaEnforcer} answers when its {@link dev.tenantkit.metering.quota.spi.QuotaStore}
 * cannot be reached.
 */
public enum FailureMode {
  /**
   * Allow the request; the decision has {@link QuotaDecision.Reason#STORE_UNAVAILABLE} so the
   * caller can log or flag it. Limits are not enforced while the store is down.
   */
  FAIL_OPEN,
  /** Deny the request with {@link QuotaDecision.Reason#STORE_UNAVAILABLE}. The default. */
  FAIL_CLOSED
}
