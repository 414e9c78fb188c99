package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.testkit.Hammer;
import dev.tenantkit.metering.quota.testkit.UnreliableQuotaStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@code leaseBlock(n)}: allowances taken n at a time, with the bounds its Javadoc states. */
class LeaseBlockTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final int N = 10;

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-15T12:00:00Z"));
  private final UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());
  private final List<QuotaThresholdEvent> events = new CopyOnWriteArrayList<>();
  private final QuotaEnforcer one = instance();
  private final QuotaEnforcer two = instance();

  private QuotaEnforcer instance() {
    return Quotas.builder()
        .store(store)
        .planOf(t -> "free")
        .clock(clock)
        .leaseBlock(N)
        .listener(events::add)
        .build();
  }

  private static int consumeUntilDenied(QuotaEnforcer q) {
    int admitted = 0;
    while (q.tryConsume(ACME, API_CALLS, 1).allowed()) {
      admitted++;
    }
    return admitted;
  }

  @Test
  void oneInstanceAdmitsExactlyTheLimitWithAboutOneStoreCallPerBlock() {
    one.admin().setOverride(ACME, API_CALLS, 95L);
    assertThat(consumeUntilDenied(one)).isEqualTo(95);
    // Nine whole blocks; a block that does not fit, then the five units left; the final denial.
    assertThat(store.tryAdds()).isEqualTo(9 + 2 + 1);
    assertThat(QuotaEnforcerTest.used(one, ACME, API_CALLS)).isEqualTo(95);
  }

  @Test
  void unspentUnitsOfAnotherInstanceAreAtMostABlockLessOne() {
    one.admin().setOverride(ACME, API_CALLS, 95L);
    QuotaDecision first = one.tryConsume(ACME, API_CALLS, 1);
    assertThat(first.remaining()).isEqualTo(94);
    // Instance one holds 9 units it has not spent: the other instance sees them as used.
    assertThat(QuotaEnforcerTest.used(two, ACME, API_CALLS)).isEqualTo(N);
    assertThat(QuotaEnforcerTest.used(one, ACME, API_CALLS)).isEqualTo(1);
    assertThat(consumeUntilDenied(two)).isEqualTo(95 - N);
    assertThat(consumeUntilDenied(one)).isEqualTo(N - 1);
    // Together: exactly the limit, never more.
    assertThat(1 + (95 - N) + (N - 1)).isEqualTo(95);
  }

  @Test
  void aLoweredLimitCanBePassedByAtMostABlockLessOnePerInstance() {
    one.tryConsume(ACME, API_CALLS, 1);
    two.tryConsume(ACME, API_CALLS, 1);
    one.admin().setOverride(ACME, API_CALLS, 2L);
    int overshoot = consumeUntilDenied(one) + consumeUntilDenied(two);
    assertThat(overshoot).isEqualTo(2 * (N - 1));
  }

  @Test
  void unspentUnitsEndWithThePeriod() {
    one.tryConsume(ACME, API_CALLS, 1);
    clock.advance(Duration.ofDays(17));
    assertThat(one.tryConsume(ACME, API_CALLS, 1).remaining()).isEqualTo(999);
    assertThat(QuotaEnforcerTest.used(two, ACME, API_CALLS)).isEqualTo(N);
    assertThat(QuotaEnforcerTest.used(one, ACME, API_CALLS)).isEqualTo(1);
  }

  @Test
  void gaugesAndBatchesAreNotLeased() {
    one.tryConsume(ACME, FILES, 1);
    assertThat(QuotaEnforcerTest.used(two, ACME, FILES)).isEqualTo(1);
    one.tryConsumeAll(ACME, Map.of(API_CALLS, 3L));
    assertThat(QuotaEnforcerTest.used(two, ACME, API_CALLS)).isEqualTo(3);
  }

  @Test
  void thresholdsArePublishedOnceWhenTheBlockReachingThemIsLeased() {
    one.admin().setOverride(ACME, API_CALLS, 100L);
    for (int i = 0; i < 71; i++) {
      one.tryConsume(ACME, API_CALLS, 1);
    }
    assertThat(events).extracting(QuotaThresholdEvent::thresholdPercent).containsExactly(80);
    assertThat(events.get(0).used()).isEqualTo(80);
    consumeUntilDenied(two);
    consumeUntilDenied(one);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactly(80, 90, 100);
  }

  @Test
  void manyThreadsOnOneInstanceAdmitExactlyTheLimit() throws Exception {
    one.admin().setOverride(ACME, API_CALLS, 500L);
    long admitted = Hammer.run(16, 50, () -> one.tryConsume(ACME, API_CALLS, 1).allowed());
    assertThat(admitted).isEqualTo(500);
  }

  @Test
  void manyThreadsOnTwoInstancesStayWithinTheStatedBounds() throws Exception {
    one.admin().setOverride(ACME, API_CALLS, 500L);
    long admitted =
        Hammer.alternating(16, 50, one, two, q -> q.tryConsume(ACME, API_CALLS, 1).allowed());
    assertThat(admitted).isBetween(500L - 2L * (N - 1), 500L);
    long rest = (long) consumeUntilDenied(one) + consumeUntilDenied(two);
    assertThat(admitted + rest).isEqualTo(500);
  }

  @Test
  void aBlockOfLessThanOneIsRefused() {
    assertThatThrownBy(() -> Quotas.builder().leaseBlock(0))
        .isInstanceOf(InvalidInputException.class);
  }
}
