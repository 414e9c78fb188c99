package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;

/** Makes the enforcer's decisions. Not instantiable. */
final class Decisions {
  private Decisions() {}

  /** A decision of one limit; see {@code QuotaDecision}'s accessors for the fields. */
  static QuotaDecision of(
      boolean allowed,
      Reason reason,
      String limitName,
      LimitKind kind,
      long limit,
      long remaining,
      long resetAtMillis,
      long nextUnitAtMillis,
      long retryAfterNanos) {
    return QuotaDecision.of(
        allowed,
        reason,
        limitName,
        kind,
        limit,
        remaining,
        resetAtMillis,
        nextUnitAtMillis,
        retryAfterNanos);
  }
}
