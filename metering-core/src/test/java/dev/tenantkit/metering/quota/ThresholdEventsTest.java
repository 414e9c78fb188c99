package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ThresholdEventsTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-15T12:00:00Z"));
  private final InMemoryQuotaStore store = InMemoryQuotaStore.create();
  private final List<QuotaThresholdEvent> events = new CopyOnWriteArrayList<>();

  private QuotaEnforcer enforcer() {
    return Quotas.builder()
        .store(store)
        .planOf(t -> "free")
        .clock(clock)
        .listener(events::add)
        .build();
  }

  @Test
  void eachThresholdIsPublishedOncePerPeriod() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, API_CALLS, 799);
    assertThat(events).isEmpty();
    q.tryConsume(ACME, API_CALLS, 1);
    assertThat(events).hasSize(1);
    QuotaThresholdEvent e = events.get(0);
    assertThat(e.tenant()).isEqualTo(ACME);
    assertThat(e.limitName()).isEqualTo(API_CALLS);
    assertThat(e.kind()).isEqualTo(LimitKind.ALLOWANCE);
    assertThat(e.thresholdPercent()).isEqualTo(80);
    assertThat(e.used()).isEqualTo(800);
    assertThat(e.limit()).isEqualTo(1000);
    assertThat(e.hard()).isTrue();
    assertThat(e.periodStart()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(e.at()).isEqualTo(clock.instant());

    // One jump over two thresholds publishes both; denials and later use publish nothing more.
    q.tryConsume(ACME, API_CALLS, 200);
    q.tryConsume(ACME, API_CALLS, 1);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactly(80, 90, 100);

    clock.advance(Duration.ofDays(17));
    q.tryConsume(ACME, API_CALLS, 900);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactly(80, 90, 100, 80, 90);
    assertThat(events.get(4).periodStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void twoInstancesSharingAStorePublishEachEventOnce() {
    QuotaEnforcer one = enforcer();
    QuotaEnforcer two = enforcer();
    one.tryConsume(ACME, TOKENS, 7_999);
    two.tryConsume(ACME, TOKENS, 1);
    one.tryConsume(ACME, TOKENS, 1_500);
    two.tryConsume(ACME, TOKENS, 500);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactly(80, 90, 100);
  }

  @Test
  void aGaugeThatDropsAndRisesAgainIsReportedOncePerMonth() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, FILES, 85);
    q.release(ACME, FILES, 50);
    q.tryConsume(ACME, FILES, 50);
    assertThat(events).extracting(QuotaThresholdEvent::thresholdPercent).containsExactly(80);
    assertThat(events.get(0).periodStart()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));

    clock.advance(Duration.ofDays(20));
    q.release(ACME, FILES, 50);
    q.tryConsume(ACME, FILES, 50);
    assertThat(events).extracting(QuotaThresholdEvent::thresholdPercent).containsExactly(80, 80);
    assertThat(events.get(1).periodStart()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void tenantsAndLimitsHaveTheirOwnMarkers() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, API_CALLS, 800);
    q.tryConsume(GLOBEX, API_CALLS, 800);
    q.tryConsumeAll(ACME, Map.of(TOKENS, 8_000L, FILES, 80L));
    assertThat(events)
        .extracting(e -> e.tenant().value() + "/" + e.limitName())
        .containsExactlyInAnyOrder(
            "acme/api_calls", "globex/api_calls", "acme/tokens", "acme/files");
  }

  @Test
  void rateLimitsPublishNoThresholds() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, REQUESTS_PER_MINUTE, 30);
    assertThat(events).isEmpty();
  }

  @Test
  void aFailingListenerDoesNotStopTheDecisionOrTheOthers() {
    QuotaEnforcer q =
        Quotas.builder()
            .store(store)
            .planOf(t -> "free")
            .clock(clock)
            .listener(
                e -> {
                  throw new IllegalStateException("listener down");
                })
            .listener(events::add)
            .build();
    assertThat(q.tryConsume(ACME, API_CALLS, 800).allowed()).isTrue();
    assertThat(events).hasSize(1);
  }

  @Test
  void customThresholdsAreUsed() {
    PlanCatalog c =
        PlanCatalog.builder()
            .thresholds(50, 100, 150)
            .plan(
                Plan.builder("free")
                    .limit(TOKENS, LimitSpec.allowance(10, ResetPeriod.DAY).asSoft())
                    .build())
            .build();
    QuotaEnforcer q =
        Quotas.builder()
            .catalog(c)
            .store(store)
            .planOf(t -> "free")
            .clock(clock)
            .listener(events::add)
            .build();
    for (int i = 0; i < 20; i++) {
      q.tryConsume(ACME, TOKENS, 1);
    }
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactly(50, 100, 150);
    assertThat(events).extracting(QuotaThresholdEvent::used).containsExactly(5L, 10L, 15L);
  }
}
