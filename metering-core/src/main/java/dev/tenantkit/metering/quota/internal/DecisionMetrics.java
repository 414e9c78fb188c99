package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts decisions by limit and outcome, and by tenant as far as {@link TenantTags} allow. Limits
 * come from the catalog's {@link LimitTable}, so the number of time series is bounded by the
 * catalog times the tenant tag's values. A limit's counters are registered on its first decision
 * (for the tenant, when tenants are tagged) and then found by the limit's index, in this object or
 * in the tenant's {@link TenantSlot}, without a lookup. Thread-safe.
 */
final class DecisionMetrics {
  static final String NAME = "tenantkit.quota.decisions";

  private final MeterRegistry registry;
  private final TenantTags tenantTags;
  private final AtomicReferenceArray<Counter[]> counters;

  DecisionMetrics(MeterRegistry registry, LimitTable table, TenantTags tenantTags) {
    this.registry = registry;
    this.tenantTags = tenantTags;
    this.counters = new AtomicReferenceArray<>(table.size());
  }

  /** Whether counters are per tenant, kept in each {@link TenantSlot}. */
  boolean perTenant() {
    return registry != null && tenantTags.enabled();
  }

  void record(TenantSlot slot, LimitTable.Limit limit, boolean allowed) {
    // Kept small for the decision's inlining budget: without a registry this is all there is.
    if (registry != null) {
      count(slot, limit, allowed);
    }
  }

  private void count(TenantSlot slot, LimitTable.Limit limit, boolean allowed) {
    AtomicReferenceArray<Counter[]> byLimit = slot.counters();
    boolean tagged = byLimit != null;
    if (!tagged) {
      byLimit = counters;
    }
    Counter[] pair = byLimit.get(limit.index());
    if (pair == null) {
      // Registering twice in a race is harmless: the registry returns the meters it already has.
      pair = register(limit.name(), tagged ? tenantTags.valueOf(slot.tenant()) : null);
      byLimit.set(limit.index(), pair);
    }
    pair[allowed ? 0 : 1].increment();
  }

  private Counter[] register(String limit, String tenant) {
    return new Counter[] {counter(limit, "allowed", tenant), counter(limit, "denied", tenant)};
  }

  private Counter counter(String limit, String outcome, String tenant) {
    Counter.Builder b =
        Counter.builder(NAME)
            .description("Quota decisions by limit and outcome")
            .tag("limit", limit)
            .tag("outcome", outcome);
    if (tenant != null) {
      b.tag(TenantTags.KEY, tenant);
    }
    return b.register(registry);
  }
}
