package dev.tenantkit.metering.quota.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Counts decisions by limit and outcome. Limits come from the catalog's {@link LimitTable}, so the
 * number of time series is bounded by the catalog; tenants are never a tag. A limit's counters are
 * registered on its first decision and then found by its index, without a lookup. Thread-safe.
 */
final class DecisionMetrics {
  static final String NAME = "tenantkit.quota.decisions";

  private final MeterRegistry registry;
  private final AtomicReferenceArray<Counter[]> counters;

  DecisionMetrics(MeterRegistry registry, LimitTable table) {
    this.registry = registry;
    this.counters = new AtomicReferenceArray<>(table.size());
  }

  void record(LimitTable.Limit limit, boolean allowed) {
    if (registry == null) {
      return;
    }
    Counter[] pair = counters.get(limit.index());
    if (pair == null) {
      // Registering twice in a race is harmless: the registry returns the meters it already has.
      pair = register(limit.name());
      counters.set(limit.index(), pair);
    }
    pair[allowed ? 0 : 1].increment();
  }

  private Counter[] register(String limit) {
    return new Counter[] {counter(limit, "allowed"), counter(limit, "denied")};
  }

  private Counter counter(String limit, String outcome) {
    return Counter.builder(NAME)
        .description("Quota decisions by limit and outcome")
        .tag("limit", limit)
        .tag("outcome", outcome)
        .register(registry);
  }
}
