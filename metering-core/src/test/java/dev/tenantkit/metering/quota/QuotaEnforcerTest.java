package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.STORAGE_BYTES;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class QuotaEnforcerTest {
  private static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");
  private static final Instant FEB = Instant.parse("2026-02-01T00:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final FakeClock clock = FakeClock.at(NOW);
  private final Map<TenantId, String> plans = new ConcurrentHashMap<>();
  private final InMemoryQuotaStore store = InMemoryQuotaStore.create();

  QuotaEnforcerTest() {
    plans.put(ACME, "free");
    plans.put(GLOBEX, "free");
  }

  private QuotaEnforcer enforcer() {
    return enforcer(PlanCatalog.defaults());
  }

  private QuotaEnforcer enforcer(PlanCatalog catalog) {
    return Quotas.builder().catalog(catalog).store(store).planOf(plans::get).clock(clock).build();
  }

  @Test
  void anAllowanceAdmitsUpToItsLimitThenDeniesUntilThePeriodEnds() {
    QuotaEnforcer q = enforcer();
    QuotaDecision first = q.tryConsume(ACME, API_CALLS, 990);
    assertThat(first.allowed()).isTrue();
    assertThat(first.reason()).isEqualTo(Reason.WITHIN_LIMIT);
    assertThat(first.limitName()).isEqualTo(API_CALLS);
    assertThat(first.kind()).isEqualTo(LimitKind.ALLOWANCE);
    assertThat(first.limit()).isEqualTo(1000);
    assertThat(first.remaining()).isEqualTo(10);
    assertThat(first.resetAt()).contains(FEB);
    assertThat(first.retryAfter()).isEmpty();
    assertThat(first.nextUnitAt()).as("an allowance gives more at its next period").contains(FEB);

    QuotaDecision denied = q.tryConsume(ACME, API_CALLS, 11);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
    assertThat(denied.remaining()).isEqualTo(10);
    assertThat(denied.retryAfter()).contains(Duration.between(NOW, FEB));
    assertThat(denied.message()).contains("api_calls", "1000");

    assertThat(q.tryConsume(ACME, API_CALLS, 10).remaining()).isZero();
    assertThat(q.tryConsume(ACME, API_CALLS, 1).allowed()).isFalse();
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(1000);
  }

  @Test
  void anAmountLargerThanTheLimitItselfIsDeniedWithNoRetry() {
    QuotaDecision d = enforcer().tryConsume(ACME, API_CALLS, 1001);
    assertThat(d.allowed()).isFalse();
    assertThat(d.retryAfter()).isEmpty();
    assertThat(d.remaining()).isEqualTo(1000);
  }

  @Test
  void checkAnswersWithoutConsuming() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, API_CALLS, 995);
    assertThat(q.check(ACME, API_CALLS, 5).allowed()).isTrue();
    assertThat(q.check(ACME, API_CALLS, 5).remaining()).isEqualTo(5);
    QuotaDecision no = q.check(ACME, API_CALLS, 6);
    assertThat(no.allowed()).isFalse();
    assertThat(no.retryAfter()).contains(Duration.between(NOW, FEB));
    q.tryConsume(ACME, REQUESTS_PER_MINUTE, 29);
    assertThat(q.check(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isTrue();
    assertThat(q.check(ACME, REQUESTS_PER_MINUTE, 2).allowed()).isFalse();
    assertThat(q.check(ACME, REQUESTS_PER_MINUTE, 2).retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(995);
    assertThat(used(q, ACME, REQUESTS_PER_MINUTE)).isEqualTo(29);
  }

  @Test
  void aBucketsNextUnitIsItsNextWholeTokenEvenWhenFull() {
    QuotaEnforcer q = enforcer();
    // Full: 30 can be used now and one more 2 seconds after the first is taken, not 60.
    QuotaDecision full = q.check(ACME, REQUESTS_PER_MINUTE, 1);
    assertThat(full.remaining()).isEqualTo(30);
    assertThat(full.nextUnitAt()).contains(NOW.plusSeconds(2));
    for (int i = 0; i < 30; i++) {
      q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1);
    }
    clock.advance(Duration.ofSeconds(3));
    // One and a half tokens back: one whole, the next one second later.
    QuotaDecision partly = q.check(ACME, REQUESTS_PER_MINUTE, 1);
    assertThat(partly.remaining()).isEqualTo(1);
    assertThat(partly.nextUnitAt()).contains(NOW.plusSeconds(4));
    QuotaDecision denied = q.check(ACME, REQUESTS_PER_MINUTE, 2);
    assertThat(denied.retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(denied.nextUnitAt()).contains(NOW.plusSeconds(4));
  }

  @Test
  void aTokenBucketRefillsWithTheClockAndNeverPastItsCapacity() {
    QuotaEnforcer q = enforcer();
    for (int i = 0; i < 30; i++) {
      QuotaDecision d = q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1);
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(29 - i);
    }
    QuotaDecision denied = q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.kind()).isEqualTo(LimitKind.RATE);
    assertThat(denied.limit()).isEqualTo(30);
    assertThat(denied.remaining()).isZero();
    // 30 per minute: one token every 2 seconds; full again a minute after the burst.
    assertThat(denied.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(denied.resetAt()).contains(NOW.plusSeconds(60));
    // Until the next token no more than the (zero) remaining can be used: the draft's t.
    assertThat(denied.nextUnitAt()).contains(NOW.plusSeconds(2));

    clock.advance(Duration.ofMillis(1999));
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isTrue();
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();

    clock.advance(Duration.ofHours(1));
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 30).allowed()).isTrue();
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();
  }

  @Test
  void aRefillThatDoesNotDivideEvenlyIsRoundedTowardsFewerTokens() {
    PlanCatalog c =
        PlanCatalog.builder()
            .plan(
                Plan.builder("free")
                    .limit("rps", LimitSpec.rate(2, 3, Duration.ofSeconds(1)))
                    .build())
            .build();
    QuotaEnforcer q = enforcer(c);
    assertThat(q.tryConsume(ACME, "rps", 2).allowed()).isTrue();
    // One token per 333,333,334 ns (rounded up): not back after 333 ms, back after 334 ms.
    clock.advance(Duration.ofMillis(333));
    assertThat(q.tryConsume(ACME, "rps", 1).allowed()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(q.tryConsume(ACME, "rps", 1).allowed()).isTrue();
    // Over a long run, never more than 3 a second.
    clock.advance(Duration.ofSeconds(10));
    int admitted = 0;
    for (int ms = 0; ms < 3000; ms++) {
      if (q.tryConsume(ACME, "rps", 1).allowed()) {
        admitted++;
      }
      clock.advance(Duration.ofMillis(1));
    }
    assertThat(admitted).isBetween(2 + 8, 2 + 9);
  }

  @Test
  void aGaugeGoesUpOnConsumeAndDownOnReleaseButNeverBelowZero() {
    QuotaEnforcer q = enforcer();
    assertThat(q.tryConsume(ACME, FILES, 100).allowed()).isTrue();
    QuotaDecision full = q.tryConsume(ACME, FILES, 1);
    assertThat(full.allowed()).isFalse();
    assertThat(full.kind()).isEqualTo(LimitKind.GAUGE);
    assertThat(full.retryAfter()).as("waiting does not free a gauge").isEmpty();
    assertThat(full.resetAt()).isEmpty();
    assertThat(full.nextUnitAt()).isEmpty();
    q.release(ACME, FILES, 30);
    assertThat(q.tryConsume(ACME, FILES, 30).allowed()).isTrue();
    assertThat(q.tryConsume(ACME, FILES, 1).allowed()).isFalse();
    q.release(ACME, FILES, 1000);
    assertThat(used(q, ACME, FILES)).isZero();
    assertThat(q.tryConsume(ACME, FILES, 100).allowed()).isTrue();
  }

  @Test
  void onlyAGaugeCanBeReleased() {
    QuotaEnforcer q = enforcer();
    assertThatThrownBy(() -> q.release(ACME, API_CALLS, 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("only a gauge");
  }

  @Test
  void unknownLimitsAndNegativeAmountsAreRefused() {
    QuotaEnforcer q = enforcer();
    assertThatThrownBy(() -> q.tryConsume(ACME, "api_call", 1))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown limit 'api_call'")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("limit");
    assertThatThrownBy(() -> q.tryConsume(ACME, API_CALLS, -1))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("amount");
    assertThatThrownBy(() -> q.check(ACME, null, 1)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.release(ACME, FILES, -5)).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.tryConsumeAll(ACME, Map.of()))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, "nope", 1L)))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.admin().setOverride(ACME, API_CALLS, -1L))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.admin().setOverride(ACME, "nope", 1L))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> q.tryConsume(null, API_CALLS, 1))
        .isInstanceOf(InvalidInputException.class);
    assertThat(used(q, ACME, API_CALLS)).isZero();
  }

  @Test
  void aBatchReportsEveryLimitItTouchedInTheOrderGivenAsACheckOfNothingWould() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, TOKENS, 9_950);
    Map<String, Long> batch = new LinkedHashMap<>();
    batch.put(REQUESTS_PER_MINUTE, 1L);
    batch.put(TOKENS, 10L);
    batch.put(API_CALLS, 1L);
    batch.put(FILES, 1L);

    QuotaDecision ok = q.tryConsumeAll(ACME, batch);
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.limits())
        .extracting(QuotaDecision::limitName)
        .containsExactly(REQUESTS_PER_MINUTE, TOKENS, API_CALLS, FILES);
    assertThat(ok.limits()).contains(ok);
    for (QuotaDecision d : ok.limits()) {
      assertThat(d).isEqualTo(q.check(ACME, d.limitName(), 0));
    }

    // Denied by tokens, the last of the store's order (sorted by name): the others were applied
    // and undone, and each says where it stands.
    batch.put(TOKENS, 41L);
    QuotaDecision denied = q.tryConsumeAll(ACME, batch);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.limitName()).isEqualTo(TOKENS);
    assertThat(denied.limits())
        .extracting(QuotaDecision::limitName)
        .containsExactly(REQUESTS_PER_MINUTE, TOKENS, API_CALLS, FILES);
    assertThat(denied.limits().get(1)).isEqualTo(denied);
    for (QuotaDecision d : denied.limits()) {
      if (!d.limitName().equals(TOKENS)) {
        assertThat(d).isEqualTo(q.check(ACME, d.limitName(), 0));
      }
    }

    // Denied by api_calls, the first of the store's order: the others were not tried.
    q.admin().setOverride(ACME, API_CALLS, 1L);
    batch.put(TOKENS, 1L);
    QuotaDecision first = q.tryConsumeAll(ACME, batch);
    assertThat(first.limitName()).isEqualTo(API_CALLS);
    assertThat(first.limits().get(2)).isEqualTo(first);
    for (QuotaDecision d : first.limits()) {
      if (!d.limitName().equals(API_CALLS)) {
        assertThat(d).isEqualTo(q.check(ACME, d.limitName(), 0));
      }
    }
    q.admin().setOverride(ACME, API_CALLS, null);

    // Denied before the store is asked: more than the bucket holds.
    q.admin().setOverride(ACME, REQUESTS_PER_MINUTE, 0L);
    QuotaDecision tooBig = q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, REQUESTS_PER_MINUTE, 1L));
    assertThat(tooBig.limitName()).isEqualTo(REQUESTS_PER_MINUTE);
    assertThat(tooBig.limits()).hasSize(2).contains(q.check(ACME, API_CALLS, 0));
    assertThat(q.check(ACME, API_CALLS, 0).limits()).hasSize(1);
  }

  @Test
  void severalLimitsAreConsumedAllOrNone() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, TOKENS, 9_950);
    QuotaDecision denied = q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, TOKENS, 51L, FILES, 1L));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.limitName()).isEqualTo(TOKENS);
    assertThat(denied.remaining()).isEqualTo(50);
    assertThat(used(q, ACME, API_CALLS)).isZero();
    assertThat(used(q, ACME, FILES)).isZero();
    assertThat(used(q, ACME, TOKENS)).isEqualTo(9_950);

    QuotaDecision ok =
        q.tryConsumeAll(
            ACME, Map.of(API_CALLS, 1L, TOKENS, 40L, FILES, 1L, REQUESTS_PER_MINUTE, 1L));
    assertThat(ok.allowed()).isTrue();
    // The limit with the least left relative to its size: tokens, 10 of 10,000.
    assertThat(ok.limitName()).isEqualTo(TOKENS);
    assertThat(ok.remaining()).isEqualTo(10);
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(1);
    assertThat(used(q, ACME, FILES)).isEqualTo(1);
    assertThat(used(q, ACME, TOKENS)).isEqualTo(9_990);
    assertThat(used(q, ACME, REQUESTS_PER_MINUTE)).isEqualTo(1);

    // A rate limit in the batch that has no tokens left stops the others too.
    q.tryConsume(ACME, REQUESTS_PER_MINUTE, 29);
    QuotaDecision noRate = q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, REQUESTS_PER_MINUTE, 1L));
    assertThat(noRate.allowed()).isFalse();
    assertThat(noRate.limitName()).isEqualTo(REQUESTS_PER_MINUTE);
    assertThat(noRate.retryAfter()).contains(Duration.ofSeconds(2));
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(1);

    QuotaDecision tooBig = q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, FILES, 500L));
    assertThat(tooBig.allowed()).isFalse();
    assertThat(tooBig.limitName()).isEqualTo(FILES);
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(1);
  }

  @Test
  void aSoftLimitAllowsAndWarns() {
    PlanCatalog c =
        PlanCatalog.builder()
            .plan(
                Plan.builder("free")
                    .limit(TOKENS, LimitSpec.allowance(100, ResetPeriod.DAY).asSoft())
                    .limit("rps", LimitSpec.rate(1, Duration.ofSeconds(1)).asSoft())
                    .build())
            .build();
    QuotaEnforcer q = enforcer(c);
    assertThat(q.tryConsume(ACME, TOKENS, 90).reason()).isEqualTo(Reason.WITHIN_LIMIT);
    assertThat(q.check(ACME, TOKENS, 20).reason()).isEqualTo(Reason.SOFT_LIMIT_EXCEEDED);
    QuotaDecision over = q.tryConsume(ACME, TOKENS, 20);
    assertThat(over.allowed()).isTrue();
    assertThat(over.softWarning()).isTrue();
    assertThat(over.remaining()).isZero();
    QuotaStatus s = status(q, ACME, TOKENS);
    assertThat(s.used()).isEqualTo(110);
    assertThat(s.percentUsed()).isEqualTo(110);
    assertThat(s.hard()).isFalse();

    assertThat(q.tryConsume(ACME, "rps", 1).reason()).isEqualTo(Reason.WITHIN_LIMIT);
    QuotaDecision rate = q.tryConsume(ACME, "rps", 1);
    assertThat(rate.allowed()).isTrue();
    assertThat(rate.softWarning()).isTrue();
    assertThat(rate.retryAfter()).isEmpty();

    QuotaDecision batch = q.tryConsumeAll(ACME, Map.of(TOKENS, 1L, "rps", 1L));
    assertThat(batch.allowed()).isTrue();
    assertThat(batch.softWarning()).isTrue();
    assertThat(used(q, ACME, TOKENS)).isEqualTo(111);
  }

  @Test
  void enterpriseIsUnlimitedButStillCounted() {
    plans.put(ACME, "enterprise");
    QuotaEnforcer q = enforcer();
    QuotaDecision d = q.tryConsume(ACME, API_CALLS, 1_000_000_000_000L);
    assertThat(d.allowed()).isTrue();
    assertThat(d.unlimited()).isTrue();
    assertThat(d.remaining()).isEqualTo(LimitSpec.UNLIMITED);
    assertThat(d.resetAt()).isEmpty();
    for (int i = 0; i < 1000; i++) {
      assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isTrue();
    }
    assertThat(q.tryConsume(ACME, STORAGE_BYTES, Long.MAX_VALUE / 2).allowed()).isTrue();
    QuotaStatus s = status(q, ACME, API_CALLS);
    assertThat(s.used()).isEqualTo(1_000_000_000_000L);
    assertThat(s.unlimited()).isTrue();
    assertThat(s.percentUsed()).isZero();
    assertThat(s.thresholdsCrossed()).isEmpty();
    assertThat(q.tryConsumeAll(ACME, Map.of(API_CALLS, 5L, REQUESTS_PER_MINUTE, 5L)).unlimited())
        .isTrue();
  }

  @Test
  void overridesApplyAtOnceOnEveryInstanceSharingTheStore() {
    QuotaEnforcer one = enforcer();
    QuotaEnforcer two = enforcer();
    one.tryConsume(ACME, API_CALLS, 4);
    one.admin().setOverride(ACME, API_CALLS, 5L);
    assertThat(two.admin().overrides(ACME)).isEqualTo(Map.of(API_CALLS, 5L));
    assertThat(two.tryConsume(ACME, API_CALLS, 1).allowed()).isTrue();
    QuotaDecision denied = two.tryConsume(ACME, API_CALLS, 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.limit()).isEqualTo(5);
    assertThat(status(two, ACME, API_CALLS).overridden()).isTrue();

    two.admin().setOverride(ACME, API_CALLS, null);
    assertThat(one.admin().overrides(ACME)).isEmpty();
    assertThat(one.tryConsume(ACME, API_CALLS, 1).limit()).isEqualTo(1000);

    one.admin().setOverride(ACME, FILES, 0L);
    assertThat(two.tryConsume(ACME, FILES, 1).allowed()).isFalse();
    one.admin().setOverride(ACME, FILES, LimitSpec.UNLIMITED);
    assertThat(two.tryConsume(ACME, FILES, 1_000_000).unlimited()).isTrue();
  }

  @Test
  void aRateOverrideChangesTheCapacityAndKeepsTheTimeToFill() {
    QuotaEnforcer q = enforcer();
    q.admin().setOverride(ACME, REQUESTS_PER_MINUTE, 120L);
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 120).allowed()).isTrue();
    QuotaDecision denied = q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.limit()).isEqualTo(120);
    assertThat(denied.retryAfter()).contains(Duration.ofMillis(500));
    clock.advance(Duration.ofSeconds(30));
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 60).allowed()).isTrue();
    assertThat(q.tryConsume(ACME, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();

    q.admin().setOverride(GLOBEX, REQUESTS_PER_MINUTE, 0L);
    assertThat(q.tryConsume(GLOBEX, REQUESTS_PER_MINUTE, 1).allowed()).isFalse();
    assertThat(q.tryConsume(GLOBEX, REQUESTS_PER_MINUTE, 0).allowed()).isTrue();
  }

  @Test
  void statusListsEveryLimitOfThePlan() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, API_CALLS, 850);
    q.tryConsume(ACME, FILES, 10);
    q.tryConsume(ACME, REQUESTS_PER_MINUTE, 3);
    q.admin().setOverride(ACME, STORAGE_BYTES, 2048L);
    q.tryConsume(ACME, STORAGE_BYTES, 1024);
    List<QuotaStatus> all = q.admin().status(ACME);
    assertThat(all)
        .extracting(QuotaStatus::limitName)
        .containsExactly(FILES, STORAGE_BYTES, API_CALLS, TOKENS, REQUESTS_PER_MINUTE);

    QuotaStatus calls = all.get(2);
    assertThat(calls.kind()).isEqualTo(LimitKind.ALLOWANCE);
    assertThat(calls.used()).isEqualTo(850);
    assertThat(calls.limit()).isEqualTo(1000);
    assertThat(calls.remaining()).isEqualTo(150);
    assertThat(calls.percentUsed()).isEqualTo(85);
    assertThat(calls.resetAt()).isEqualTo(FEB);
    assertThat(calls.hard()).isTrue();
    assertThat(calls.overridden()).isFalse();
    assertThat(calls.thresholdsCrossed()).containsExactly(80);

    QuotaStatus bytes = all.get(1);
    assertThat(bytes.limit()).isEqualTo(2048);
    assertThat(bytes.percentUsed()).isEqualTo(50);
    assertThat(bytes.overridden()).isTrue();
    assertThat(bytes.resetAt()).isNull();

    QuotaStatus tokens = all.get(3);
    assertThat(tokens.used()).isZero();
    assertThat(tokens.resetAt()).isEqualTo(Instant.parse("2026-01-16T00:00:00Z"));

    QuotaStatus rpm = all.get(4);
    assertThat(rpm.used()).isEqualTo(3);
    assertThat(rpm.remaining()).isEqualTo(27);
    assertThat(rpm.percentUsed()).isEqualTo(10);
    assertThat(rpm.resetAt()).isEqualTo(NOW.plusSeconds(6));
  }

  @Test
  void consumingForOneTenantNeverChangesAnothersCounters() {
    QuotaEnforcer q = enforcer();
    q.tryConsume(ACME, API_CALLS, 1000);
    q.tryConsume(ACME, FILES, 100);
    q.tryConsume(ACME, REQUESTS_PER_MINUTE, 30);
    q.admin().setOverride(ACME, TOKENS, 1L);
    q.release(GLOBEX, FILES, 100);

    assertThat(q.admin().status(GLOBEX)).allSatisfy(s -> assertThat(s.used()).isZero());
    assertThat(q.admin().overrides(GLOBEX)).isEmpty();
    assertThat(q.tryConsume(GLOBEX, API_CALLS, 1000).allowed()).isTrue();
    assertThat(q.tryConsume(GLOBEX, TOKENS, 2).allowed()).isTrue();
    assertThat(q.tryConsume(GLOBEX, REQUESTS_PER_MINUTE, 30).allowed()).isTrue();
    assertThat(used(q, ACME, FILES)).isEqualTo(100);

    q.admin().purge(GLOBEX);
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(1000);
    assertThat(q.admin().overrides(ACME)).isEqualTo(Map.of(TOKENS, 1L));
  }

  @Test
  void aTenantOnAPlanTheCatalogLacksIsAConfigurationError() {
    plans.put(ACME, "platinum");
    QuotaEnforcer q = enforcer();
    assertThatThrownBy(() -> q.tryConsume(ACME, API_CALLS, 1))
        .isInstanceOf(UnknownPlanException.class)
        .hasMessageContaining("platinum");
    assertThatThrownBy(() -> q.admin().status(ACME)).isInstanceOf(UnknownPlanException.class);
  }

  @Test
  void planOfTenantServiceFollowsPlanChangesAtOnce() {
    Tenancy tenancy = Tenancy.builder().build();
    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
    QuotaEnforcer q = Quotas.builder().store(store).planOf(tenancy.tenants()).clock(clock).build();
    assertThat(q.tryConsume(ACME, API_CALLS, 1).limit()).isEqualTo(1000);
    tenancy.tenants().changePlan(ACME, "starter");
    assertThat(q.tryConsume(ACME, API_CALLS, 1).limit()).isEqualTo(10_000);
    assertThat(used(q, ACME, API_CALLS)).isEqualTo(2);
    assertThatThrownBy(() -> q.tryConsume(GLOBEX, API_CALLS, 1))
        .isInstanceOf(TenantNotFoundException.class);
  }

  @Test
  void aBuilderWithoutPlanLookupIsRefused() {
    assertThatThrownBy(() -> Quotas.builder().build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("planOf");
  }

  @Test
  void aDecisionTellsItsFields() {
    QuotaDecision d =
        QuotaDecision.of(
            false,
            Reason.LIMIT_EXCEEDED,
            API_CALLS,
            LimitKind.ALLOWANCE,
            10,
            0,
            FEB.toEpochMilli(),
            FEB.toEpochMilli(),
            Duration.ofHours(1).toNanos());
    assertThat(d)
        .isEqualTo(
            QuotaDecision.of(
                false,
                Reason.LIMIT_EXCEEDED,
                API_CALLS,
                LimitKind.ALLOWANCE,
                10,
                0,
                FEB.toEpochMilli(),
                FEB.toEpochMilli(),
                Duration.ofHours(1).toNanos()));
    assertThat(d.toString()).contains("retry after PT1H");
    assertThatThrownBy(
            () ->
                QuotaDecision.of(
                    true, Reason.LIMIT_EXCEEDED, API_CALLS, LimitKind.ALLOWANCE, 1, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static long used(QuotaEnforcer q, TenantId tenant, String limit) {
    return status(q, tenant, limit).used();
  }

  static QuotaStatus status(QuotaEnforcer q, TenantId tenant, String limit) {
    Optional<QuotaStatus> s =
        q.admin().status(tenant).stream().filter(x -> x.limitName().equals(limit)).findFirst();
    assertThat(s).isPresent();
    return s.get();
  }
}
