package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaListener;
import dev.tenantkit.metering.quota.QuotaThresholdEvent;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a {@link QuotaThresholdEvent} when a counter passes one of the catalog's thresholds,
 * once per tenant, limit, period and threshold across every instance (the store's marker says who
 * was first). A listener that fails is logged and the others still hear of it. Thread-safe.
 */
final class ThresholdPublisher {
  private static final Logger LOG = LoggerFactory.getLogger(ThresholdPublisher.class);

  private final QuotaStore store;
  private final List<QuotaListener> listeners;
  private final int[] thresholds;
  private final CalendarWindows periods;

  ThresholdPublisher(
      QuotaStore store, List<QuotaListener> listeners, int[] thresholds, CalendarWindows periods) {
    this.store = store;
    this.listeners = List.copyOf(listeners);
    this.thresholds = thresholds;
    this.periods = periods;
  }

  /**
   * Publishes each threshold of {@code rule} under {@code effective} that the counter passed going
   * from {@code before} to {@code after}.
   */
  void crossed(
      TenantId tenant, Rule rule, long effective, long before, long after, long period, long now) {
    for (int i = 0; i < thresholds.length; i++) {
      long mark = rule.mark(effective, thresholds, i);
      if (mark <= 0 || before >= mark) {
        continue;
      }
      if (mark > after) {
        return;
      }
      // A gauge has no period; its markers are per calendar month, so a tenant who stays above a
      // threshold hears of it again the next month rather than never.
      long markerPeriod =
          rule.kind == LimitKind.GAUGE ? periods.window(ResetPeriod.MONTH, now).start : period;
      publish(tenant, rule, effective, thresholds[i], after, markerPeriod, now);
    }
  }

  private void publish(
      TenantId tenant,
      Rule rule,
      long effective,
      int percent,
      long used,
      long markerPeriod,
      long now) {
    String limit = rule.name;
    boolean first;
    try {
      first = store.markThreshold(tenant, limit, markerPeriod, percent);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not store the {}% threshold marker of {} for tenant {}; the event is not published",
          percent, limit, tenant, e);
      return;
    }
    if (!first) {
      return;
    }
    QuotaThresholdEvent event =
        new QuotaThresholdEvent(
            tenant,
            limit,
            rule.kind,
            percent,
            used,
            effective,
            rule.hard,
            Instant.ofEpochMilli(markerPeriod),
            Instant.ofEpochMilli(now));
    for (QuotaListener l : listeners) {
      try {
        l.onThreshold(event);
      } catch (RuntimeException e) {
        LOG.warn("quota listener {} failed on {}", l, event, e);
      }
    }
  }
}
