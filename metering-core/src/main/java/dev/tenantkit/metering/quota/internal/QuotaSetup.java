package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaListener;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;

/**
 * Wires the parts of a {@link QuotaEnforcer} from the validated settings of {@code Quotas.Builder}:
 * counter decisions (allowances, gauges, leases), rate-limit buckets, the all-or-none batch,
 * threshold events, status reporting and the store's health. Not a public contract; use {@link
 * dev.tenantkit.metering.quota.Quotas#builder()}.
 */
public final class QuotaSetup {
  private final DefaultQuotaEnforcer enforcer;

  /**
   * Every setting of {@code Quotas.Builder}, validated there.
   *
   * @param meterRegistry null for no metrics
   */
  public record Settings(
      PlanCatalog catalog,
      QuotaStore store,
      Function<TenantId, String> planOf,
      InstantSource clock,
      FailureMode failureMode,
      List<QuotaListener> listeners,
      MeterRegistry meterRegistry,
      TenantTags tenantTags,
      long leaseBlock) {}

  /** Builds the parts. */
  public QuotaSetup(Settings s) {
    int[] thresholds = s.catalog().thresholds().stream().mapToInt(Integer::intValue).toArray();
    LimitTable table = new LimitTable(s.catalog(), thresholds);
    DecisionMetrics metrics = new DecisionMetrics(s.meterRegistry(), table, s.tenantTags());
    CalendarWindows periods = new CalendarWindows(s.catalog().zone());
    TenantSlots slots = new TenantSlots(table, s.store(), metrics.perTenant());
    CounterDecisions counters =
        new CounterDecisions(
            periods,
            s.leaseBlock(),
            new ThresholdPublisher(s.store(), s.listeners(), thresholds, periods));
    DefaultQuotaAdmin admin =
        new DefaultQuotaAdmin(
            s.catalog(),
            s.store(),
            s.planOf(),
            s.clock(),
            table,
            slots,
            new StatusReport(counters, thresholds));
    this.enforcer =
        new DefaultQuotaEnforcer(
            s.planOf(),
            s.clock(),
            table,
            metrics,
            slots,
            new StoreHealth(s.failureMode()),
            counters,
            new BatchDecisions(table, s.store(), counters),
            admin);
  }

  /** The enforcer. */
  public QuotaEnforcer enforcer() {
    return enforcer;
  }
}
