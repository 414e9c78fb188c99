package dev.tenantkit.metering.quota.jdbc;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.QuotaThresholdEvent;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.testkit.Hammer;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enforcers on a JDBC store, with two "instances" (two pools, two stores, two enforcers) on one
 * database as two app servers would have. A database subclass supplies the pools.
 */
abstract class JdbcEnforcerScenarios {
  private static final AtomicInteger TENANTS = new AtomicInteger();

  private final FakeClock clock = FakeClock.create();
  private final List<QuotaThresholdEvent> events = new CopyOnWriteArrayList<>();
  private HikariDataSource firstPool;
  private HikariDataSource secondPool;
  private JdbcQuotaStore storeOne;
  private JdbcQuotaStore storeTwo;
  private QuotaEnforcer one;
  private QuotaEnforcer two;
  private TenantId acme;
  private TenantId globex;

  /** A pool on a database no other test class uses. */
  abstract HikariDataSource newPool();

  /** Another pool on the same database as {@code first}. */
  abstract HikariDataSource secondPool(HikariDataSource first);

  @BeforeEach
  void startTwoInstances() {
    firstPool = newPool();
    secondPool = secondPool(firstPool);
    storeOne = JdbcQuotaStore.builder(firstPool).build();
    storeTwo = JdbcQuotaStore.builder(secondPool).build();
    one = enforcer(storeOne);
    two = enforcer(storeTwo);
    int n = TENANTS.incrementAndGet();
    acme = TenantId.of("acme-" + n);
    globex = TenantId.of("globex-" + n);
  }

  @AfterEach
  void stopInstances() {
    secondPool.close();
    firstPool.close();
  }

  private QuotaEnforcer enforcer(JdbcQuotaStore store) {
    return Quotas.builder()
        .store(store)
        .planOf(t -> "free")
        .clock(clock)
        .listener(events::add)
        .build();
  }

  @Test
  void sixteenThreadsOnOneInstanceAdmitExactlyTheLimit() throws Exception {
    one.admin().setOverride(acme, API_CALLS, 200L);
    long admitted = Hammer.run(16, 20, () -> one.tryConsume(acme, API_CALLS, 1).allowed());
    assertThat(admitted).isEqualTo(200);
    assertThat(used(one, acme, API_CALLS)).isEqualTo(200);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactlyInAnyOrder(80, 90, 100);
  }

  @Test
  void twoInstancesAdmitExactlyTheLimitInTotalAndPublishEachThresholdOnce() throws Exception {
    one.admin().setOverride(acme, API_CALLS, 200L);
    long admitted =
        Hammer.alternating(16, 20, one, two, q -> q.tryConsume(acme, API_CALLS, 1).allowed());
    assertThat(admitted).isEqualTo(200);
    assertThat(used(two, acme, API_CALLS)).isEqualTo(200);
    assertThat(events)
        .extracting(QuotaThresholdEvent::thresholdPercent)
        .containsExactlyInAnyOrder(80, 90, 100);
  }

  @Test
  void twoInstancesShareOneTokenBucket() throws Exception {
    long admitted =
        Hammer.alternating(
            16, 6, one, two, q -> q.tryConsume(acme, REQUESTS_PER_MINUTE, 1).allowed());
    assertThat(admitted).isEqualTo(30);
    clock.advance(Duration.ofSeconds(4));
    assertThat(one.tryConsume(acme, REQUESTS_PER_MINUTE, 1).allowed()).isTrue();
    assertThat(two.tryConsume(acme, REQUESTS_PER_MINUTE, 1).allowed()).isTrue();
    assertThat(one.tryConsume(acme, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();
  }

  @Test
  void concurrentBatchesOnTwoInstancesAreAllOrNone() throws Exception {
    one.admin().setOverride(acme, API_CALLS, 100L);
    long admitted =
        Hammer.alternating(
            16,
            10,
            one,
            two,
            q -> q.tryConsumeAll(acme, Map.of(API_CALLS, 1L, TOKENS, 7L, FILES, 0L)).allowed());
    assertThat(admitted).isEqualTo(100);
    assertThat(used(one, acme, API_CALLS)).isEqualTo(100);
    assertThat(used(one, acme, TOKENS)).isEqualTo(700);
  }

  @Test
  void leasedBlocksOnTwoInstancesNeverPassTheLimit() throws Exception {
    QuotaEnforcer leasingOne = leasing(storeOne);
    QuotaEnforcer leasingTwo = leasing(storeTwo);
    one.admin().setOverride(acme, API_CALLS, 200L);
    long admitted =
        Hammer.alternating(
            16, 20, leasingOne, leasingTwo, q -> q.tryConsume(acme, API_CALLS, 1).allowed());
    // At most a block less one unit stays unspent in each instance.
    assertThat(admitted).isBetween(200L - 2 * 9, 200L);
    assertThat(used(one, acme, API_CALLS)).isEqualTo(200);
  }

  private QuotaEnforcer leasing(JdbcQuotaStore store) {
    return Quotas.builder().store(store).planOf(t -> "free").clock(clock).leaseBlock(10).build();
  }

  @Test
  void overridesAndReleasesApplyAtOnceOnTheOtherInstance() {
    one.admin().setOverride(acme, FILES, 3L);
    assertThat(two.tryConsume(acme, FILES, 3).allowed()).isTrue();
    assertThat(two.tryConsume(acme, FILES, 1).allowed()).isFalse();
    one.release(acme, FILES, 2);
    assertThat(two.tryConsume(acme, FILES, 2).allowed()).isTrue();
    two.admin().setOverride(acme, FILES, null);
    assertThat(one.tryConsume(acme, FILES, 90).allowed()).isTrue();
    assertThat(one.admin().overrides(acme)).isEmpty();
  }

  @Test
  void anOverrideChangedOnOneInstanceAppliesToTheNextDecisionOfAnInstanceThatDecidedBefore() {
    // Instance two has decided before, so its cells hold the override they saw: none.
    assertThat(two.tryConsume(acme, API_CALLS, 10).remaining()).isEqualTo(990);
    assertThat(two.tryConsume(acme, REQUESTS_PER_MINUTE, 1).limit()).isEqualTo(30);
    one.admin().setOverride(acme, API_CALLS, 15L);
    one.admin().setOverride(acme, REQUESTS_PER_MINUTE, 1L);

    QuotaDecision calls = two.tryConsume(acme, API_CALLS, 5);
    assertThat(calls.allowed()).isTrue();
    assertThat(calls.limit()).isEqualTo(15);
    assertThat(calls.remaining()).isZero();
    assertThat(two.tryConsume(acme, API_CALLS, 1).allowed()).isFalse();
    // The token taken under 30 a minute is two seconds of a bucket that now refills one a minute.
    QuotaDecision rate = two.tryConsume(acme, REQUESTS_PER_MINUTE, 1);
    assertThat(rate.allowed()).isFalse();
    assertThat(rate.limit()).isEqualTo(1);

    one.admin().setOverride(acme, API_CALLS, 20L);
    assertThat(two.tryConsume(acme, API_CALLS, 5).allowed()).isTrue();
    assertThat(two.tryConsume(acme, API_CALLS, 1).allowed()).isFalse();
  }

  @Test
  void oneTenantsUsageNeverShowsForAnother() {
    one.tryConsume(acme, API_CALLS, 1000);
    one.tryConsume(acme, FILES, 100);
    one.tryConsume(acme, REQUESTS_PER_MINUTE, 30);
    one.admin().setOverride(acme, TOKENS, 5L);
    assertThat(two.admin().status(globex)).allSatisfy(s -> assertThat(s.used()).isZero());
    assertThat(two.admin().overrides(globex)).isEmpty();
    assertThat(two.tryConsume(globex, API_CALLS, 1000).allowed()).isTrue();
    assertThat(two.tryConsume(globex, TOKENS, 6).allowed()).isTrue();
    two.admin().purge(globex);
    assertThat(used(one, acme, API_CALLS)).isEqualTo(1000);
    assertThat(one.admin().overrides(acme)).isEqualTo(Map.of(TOKENS, 5L));
  }

  private static long used(QuotaEnforcer q, TenantId tenant, String limit) {
    return q.admin().status(tenant).stream()
        .filter(s -> s.limitName().equals(limit))
        .mapToLong(QuotaStatus::used)
        .findFirst()
        .orElseThrow();
  }
}
