package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Micrometer meters of metering, or nothing when no registry was given. Tags are the meter name
 * (from the host's catalog, so bounded) and the rejection reason; never a tenant id, whose
 * cardinality is unbounded. Thread-safe.
 */
final class MeteringMetrics {
  private final MeterRegistry registry;
  private final Map<String, Counter> recorded = new ConcurrentHashMap<>();
  private final Map<String, Counter> duplicates = new ConcurrentHashMap<>();
  private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
  private final Timer rollupDuration;

  MeteringMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry == null) {
      rollupDuration = null;
      return;
    }
    for (RejectionReason r : RejectionReason.values()) {
      rejected.put(
          r,
          Counter.builder("tenantkit.usage.events.rejected")
              .description("Usage events refused")
              .tag("reason", r.code())
              .register(registry));
    }
    rollupDuration =
        Timer.builder("tenantkit.usage.rollup.duration")
            .description("Time of one rollup job run")
            .register(registry);
  }

  void recorded(String meter, long n) {
    if (registry != null && n > 0) {
      recorded
          .computeIfAbsent(
              meter,
              m ->
                  Counter.builder("tenantkit.usage.events.recorded")
                      .description("Usage events stored")
                      .tag("meter", m)
                      .register(registry))
          .increment((double) n);
    }
  }

  void duplicate(String meter) {
    if (registry != null) {
      duplicates
          .computeIfAbsent(
              meter,
              m ->
                  Counter.builder("tenantkit.usage.events.duplicates")
                      .description("Usage events whose idempotency key was used already")
                      .tag("meter", m)
                      .register(registry))
          .increment();
    }
  }

  void rejected(RejectionReason reason) {
    if (registry != null) {
      rejected.get(reason).increment();
    }
  }

  void rollup(Duration took) {
    if (registry != null) {
      rollupDuration.record(took);
    }
  }
}
