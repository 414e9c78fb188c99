package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.testkit.Hammer;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many threads on one enforcer and an in-memory store: never more than the limit. */
class ConcurrencyTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final List<QuotaThresholdEvent> events = new CopyOnWriteArrayList<>();
  private final QuotaEnforcer q =
      Quotas.builder()
          .store(InMemoryQuotaStore.create())
          .planOf(t -> "free")
          .clock(FakeClock.create())
          .listener(events::add)
          .build();

  @Test
  void sixteenThreadsOnOneAllowanceAdmitExactlyTheLimit() throws Exception {
    long admitted = Hammer.run(16, 200, () -> q.tryConsume(ACME, API_CALLS, 1).allowed());
    assertThat(admitted).isEqualTo(1000);
    assertThat(QuotaEnforcerTest.used(q, ACME, API_CALLS)).isEqualTo(1000);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactlyInAnyOrder(80, 90, 100);
  }

  @Test
  void sixteenThreadsOnOneRateLimitAdmitExactlyTheBurst() throws Exception {
    long admitted = Hammer.run(16, 10, () -> q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed());
    assertThat(admitted).isEqualTo(30);
  }

  @Test
  void sixteenThreadsOnAGaugeWithReleasesNeverPassIt() throws Exception {
    long admitted =
        Hammer.run(
            16,
            100,
            () -> {
              boolean ok = q.tryConsume(ACME, FILES, 3).allowed();
              assertThat(QuotaEnforcerTest.used(q, ACME, FILES)).isLessThanOrEqualTo(100);
              return ok;
            });
    assertThat(admitted).isEqualTo(33);
  }

  @Test
  void concurrentBatchesAreAllOrNoneAndTenantsStayApart() throws Exception {
    AtomicInteger globexAdmitted = new AtomicInteger();
    long admitted =
        Hammer.run(
            16,
            100,
            () -> {
              if (q.tryConsume(GLOBEX, API_CALLS, 1).allowed()) {
                globexAdmitted.incrementAndGet();
              }
              return q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, TOKENS, 10L)).allowed();
            });
    assertThat(admitted).isEqualTo(1000);
    assertThat(globexAdmitted).hasValue(1000);
    assertThat(QuotaEnforcerTest.used(q, ACME, API_CALLS)).isEqualTo(1000);
    assertThat(QuotaEnforcerTest.used(q, ACME, TOKENS)).isEqualTo(10_000);
    assertThat(QuotaEnforcerTest.used(q, GLOBEX, API_CALLS)).isEqualTo(1000);
    assertThat(QuotaEnforcerTest.used(q, GLOBEX, TOKENS)).isZero();
  }
}
