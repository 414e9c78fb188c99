package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the quota store answers, and what the enforcer says when it does not: a decision by the
 * {@link FailureMode}, or a {@link QuotaUnavailableException} for the calls that are not decisions.
 * Logs the change of state once each way. Thread-safe.
 */
final class StoreHealth {
  private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);

  private final FailureMode failureMode;
  private final AtomicBoolean storeDown = new AtomicBoolean();

  StoreHealth(FailureMode failureMode) {
    this.failureMode = failureMode;
  }

  /** The decision when the store (or the plan lookup) failed with {@code e}. */
  QuotaDecision unavailable(String limit, LimitKind kind, long planLimit, Exception e) {
    if (storeDown.compareAndSet(false, true)) {
      LOG.warn(
          "quota store (or plan lookup) unavailable; decisions {} until it answers again",
          failureMode,
          e);
    } else {
      LOG.debug("quota store still unavailable", e);
    }
    boolean allowed = failureMode == FailureMode.FAIL_OPEN;
    return Decisions.of(
        allowed,
        Reason.STORE_UNAVAILABLE,
        limit,
        kind,
        planLimit,
        0,
        QuotaDecision.NONE,
        QuotaDecision.NONE,
        QuotaDecision.NONE);
  }

  /**
   * The exception of a call that could not {@code what} because the store failed with {@code e}.
   */
  static QuotaUnavailableException unavailable(String what, RuntimeException e) {
    return new QuotaUnavailableException(
        "could not " + what + ": the quota store is unavailable", e);
  }

  /** Records that the store answered a decision. */
  void answered() {
    if (storeDown.get() && storeDown.compareAndSet(true, false)) {
      LOG.info("quota store answers again");
    }
  }
}
