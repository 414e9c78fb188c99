package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Micrometer meters of metering, or nothing when no registry was given. Tags are the meter name
 * (from the host's catalog, so bounded) and the rejection reason, and the tenant only as {@link
 * TenantTags} allow: off by default, else capped. Thread-safe.
 */
final class MeteringMetrics {
  static final String RECORDED = "tenantkit.usage.events.recorded";
  static final String DUPLICATES = "tenantkit.usage.events.duplicates";
  static final String REJECTED = "tenantkit.usage.events.rejected";

  private final MeterRegistry registry;
  private final TenantTags tenantTags;
  private final Map<Series, Counter> counters = new ConcurrentHashMap<>();
  private final Timer rollupDuration;

  /** One counter's identity; {@code tenant} is null without tenant tags. */
  private record Series(String name, String tagKey, String tagValue, String tenant) {}

  MeteringMetrics(MeterRegistry registry, TenantTags tenantTags) {
    this.registry = registry;
    this.tenantTags = tenantTags;
    if (registry == null) {
      rollupDuration = null;
      return;
    }
    if (!tenantTags.enabled()) {
      // Registered up front so that dashboards see every reason at 0 before the first rejection;
      // with tenant tags there is no tenant to register them for yet.
      for (RejectionReason r : RejectionReason.values()) {
        counter(new Series(REJECTED, "reason", r.code(), null));
      }
    }
    rollupDuration =
        Timer.builder("tenantkit.usage.rollup.duration")
            .description("Time of one rollup job run")
            .register(registry);
  }

  /** Whether counters are per tenant, so that callers must tell tenants apart. */
  boolean perTenant() {
    return registry != null && tenantTags.enabled();
  }

  /**
   * Counts {@code n} stored events of {@code meter}.
   *
   * @param tenant their tenant; may be null unless {@link #perTenant()}
   */
  void recorded(String meter, TenantId tenant, long n) {
    if (registry != null && n > 0) {
      counter(RECORDED, "meter", meter, tenant).increment((double) n);
    }
  }

  void duplicate(String meter, TenantId tenant) {
    if (registry != null) {
      counter(DUPLICATES, "meter", meter, tenant).increment();
    }
  }

  void rejected(RejectionReason reason, TenantId tenant) {
    if (registry != null) {
      counter(REJECTED, "reason", reason.code(), tenant).increment();
    }
  }

  void rollup(Duration took) {
    if (registry != null) {
      rollupDuration.record(took);
    }
  }

  private Counter counter(String name, String tagKey, String tagValue, TenantId tenant) {
    String t = tenantTags.enabled() ? tenantTags.valueOf(tenant) : null;
    return counter(new Series(name, tagKey, tagValue, t));
  }

  private Counter counter(Series s) {
    return counters.computeIfAbsent(s, this::register);
  }

  private Counter register(Series s) {
    Counter.Builder b =
        Counter.builder(s.name()).description(description(s.name())).tag(s.tagKey(), s.tagValue());
    if (s.tenant() != null) {
      b.tag(TenantTags.KEY, s.tenant());
    }
    return b.register(registry);
  }

  private static String description(String name) {
    return switch (name) {
      case RECORDED -> "Usage events stored";
      case DUPLICATES -> "Usage events whose idempotency key was used already";
      case REJECTED -> "Usage events refused";
      default -> throw new IllegalArgumentException(name);
    };
  }
}
