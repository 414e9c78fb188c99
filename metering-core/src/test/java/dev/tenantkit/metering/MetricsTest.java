package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
      m.usageMeter().record(e);
      m.usageMeter().record(e);
      m.usageMeter()
          .recordAll(java.util.List.of(UsageEvent.builder(TenantId.of("acme"), "x").build()));
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

  @Test
  void tenantTagsAreOptInAndCappedWithTheRestUnderOther() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TenantTags tags = TenantTags.firstSeen(1);
    try (Metering m =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(TestMeters.catalog())
            .clock(FakeClock.at(Instant.parse("2026-03-02T10:00:00Z")))
            .meterRegistry(registry)
            .tenantTags(tags)
            .build()) {
      TenantId acme = TenantId.of("acme");
      TenantId globex = TenantId.of("globex");
      TenantId initech = TenantId.of("initech");
      m.usageMeter()
          .recordAll(
              List.of(
                  tokens(acme, "a1"),
                  tokens(acme, "a2"),
                  tokens(globex, "g1"),
                  tokens(acme, "a3"),
                  tokens(initech, "i1")));
      m.usageMeter().record(tokens(globex, "g1"));
      m.usageMeter().recordAll(List.of(UsageEvent.builder(acme, "x").build()));

      assertThat(count(registry, "tenantkit.usage.events.recorded", "meter", "tokens", "acme"))
          .isEqualTo(3);
      assertThat(
              count(
                  registry, "tenantkit.usage.events.recorded", "meter", "tokens", TenantTags.OTHER))
          .isEqualTo(2);
      assertThat(
              count(
                  registry,
                  "tenantkit.usage.events.duplicates",
                  "meter",
                  "tokens",
                  TenantTags.OTHER))
          .isEqualTo(1);
      assertThat(
              count(registry, "tenantkit.usage.events.rejected", "reason", "unknown-meter", "acme"))
          .isEqualTo(1);
      assertThat(tags.taggedTenants()).isEqualTo(1);
      for (Meter meter : registry.getMeters()) {
        if (meter.getId().getName().startsWith("tenantkit.usage.events")) {
          assertThat(meter.getId().getTag(TenantTags.KEY)).isIn("acme", TenantTags.OTHER);
        }
      }
    }
  }

  private static UsageEvent tokens(TenantId tenant, String key) {
    return UsageEvent.builder(tenant, "tokens").quantity(1).idempotencyKey(key).build();
  }

  private static double count(
      SimpleMeterRegistry registry, String name, String tagKey, String tagValue, String tenant) {
    return registry.get(name).tag(tagKey, tagValue).tag(TenantTags.KEY, tenant).counter().count();
  }
}
