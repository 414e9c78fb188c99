package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void recordingAndRollupsPublishMetersWithoutTenantTags() {
    Instant now = Instant.parse("2026-03-02T10:00:00Z");
    FakeClock clock = FakeClock.at(now);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Metering m =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(TestMeters.catalog())
            .clock(clock)
            .meterRegistry(registry)
            .build()) {
      UsageEvent e =
          UsageEvent.builder(TenantId.of("acme"), "tokens").quantity(3).idempotencyKey("k").build();
      m.meter().record(e);
      m.meter().record(e);
      m.meter().recordAll(java.util.List.of(UsageEvent.builder(TenantId.of("acme"), "x").build()));
      clock.advance(Duration.ofHours(3));
      m.rollups().run();

      assertThat(
              registry
                  .get("tenantkit.usage.events.recorded")
                  .tag("meter", "tokens")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("tenantkit.usage.events.duplicates")
                  .tag("meter", "tokens")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .get("tenantkit.usage.events.rejected")
                  .tag("reason", "unknown-meter")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("tenantkit.usage.rollup.duration").timer().count()).isEqualTo(1);
      for (Meter meter : registry.getMeters()) {
        assertThat(meter.getId().getTags())
            .noneMatch(t -> t.getKey().contains("tenant") || t.getValue().equals("acme"));
      }
    }
  }
}
