package dev.tenantkit.metering.quota;

/**
 * Hears when a tenant's usage reaches a threshold of a limit (by default 80, 90 and 100 percent).
 *
 * <p>Called on the thread whose consumption reached the threshold, after the durable marker that
 * makes the event unique is stored, so across all instances sharing a store each event is published
 * once. If the process dies between storing the marker and calling the listener, that event is lost
 * rather than repeated. A listener that throws is logged and does not affect the decision or other
 * listeners; keep listeners quick, or hand off to an executor.
 */
@FunctionalInterface
public interface QuotaListener {

  /** Called once per threshold, tenant, limit and period. */
  void onThreshold(QuotaThresholdEvent event);
}
