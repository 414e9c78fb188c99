package dev.tenantkit.metering.quota.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts decisions by limit and outcome. Limit names are checked against the catalog before they
 * get here, so the number of time series is bounded by the catalog; tenants are never a tag.
 */
final class DecisionMetrics {
  static final String NAME = "tenantkit.quota.decisions";

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter[]> counters = new ConcurrentHashMap<>();

  DecisionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String limit, boolean allowed) {
    if (registry == null) {
      return;
    }
    Counter[] pair = counters.get(limit);
    if (pair == null) {
      pair = counters.computeIfAbsent(limit, this::register);
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
