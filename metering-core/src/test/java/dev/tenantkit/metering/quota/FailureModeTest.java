package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.testkit.UnreliableQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FailureModeTest {
  private static final TenantId ACME = TenantId.of("acme");

  private final UnreliableQuotaStore store = new UnreliableQuotaStore(InMemoryQuotaStore.create());

  private QuotaEnforcer enforcer(FailureMode mode, Function<TenantId, String> planOf) {
    Quotas.Builder b = Quotas.builder().store(store).planOf(planOf).clock(FakeClock.create());
    if (mode != null) {
      b.failureMode(mode);
    }
    return b.build();
  }

  @Test
  void failClosedIsTheDefaultAndDeniesWithAClearReason() {
    QuotaEnforcer q = enforcer(null, t -> "free");
    store.down(true);
    for (String limit : new String[] {API_CALLS, FILES, REQUESTS_PER_MINUTE}) {
      QuotaDecision d = q.tryConsume(ACME, limit, 1);
      assertThat(d.allowed()).isFalse();
      assertThat(d.reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
      assertThat(d.degraded()).isTrue();
      assertThat(d.limitName()).isEqualTo(limit);
      assertThat(d.remaining()).isZero();
      assertThat(d.retryAfter()).isEmpty();
      assertThat(d.message()).contains("quota store is unavailable", "denied (fail-closed)");
    }
    assertThat(q.check(ACME, API_CALLS, 1).reason()).isEqualTo(Reason.STORE_UNAVAILABLE);
    QuotaDecision batch = q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, TOKENS, 1L));
    assertThat(batch.allowed()).isFalse();
    assertThat(batch.degraded()).isTrue();
  }

  @Test
  void failOpenAllowsAndFlagsTheDecision() {
    QuotaEnforcer q = enforcer(FailureMode.FAIL_OPEN, t -> "free");
    store.down(true);
    QuotaDecision d = q.tryConsume(ACME, API_CALLS, 5000);
    assertThat(d.allowed()).isTrue();
    assertThat(d.degraded()).isTrue();
    assertThat(d.softWarning()).isFalse();
    assertThat(d.message()).contains("fail-open");
    assertThat(q.tryConsumeAll(ACME, Map.of(API_CALLS, 1L, TOKENS, 1L)).allowed()).isTrue();

    // Nothing was counted while the store was down, and enforcement is back once it answers.
    store.down(false);
    assertThat(QuotaEnforcerTest.used(q, ACME, API_CALLS)).isZero();
    QuotaDecision back = q.tryConsume(ACME, API_CALLS, 5000);
    assertThat(back.allowed()).isFalse();
    assertThat(back.reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
  }

  @Test
  void aFailingPlanLookupFollowsTheFailureModeToo() {
    Function<TenantId, String> broken =
        t -> {
          throw new IllegalStateException("tenant database down");
        };
    QuotaDecision closed = enforcer(FailureMode.FAIL_CLOSED, broken).tryConsume(ACME, API_CALLS, 1);
    assertThat(closed.allowed()).isFalse();
    assertThat(closed.degraded()).isTrue();
    assertThat(closed.kind()).isEqualTo(LimitKind.ALLOWANCE);
    QuotaDecision open =
        enforcer(FailureMode.FAIL_OPEN, broken)
            .tryConsumeAll(ACME, Map.of(REQUESTS_PER_MINUTE, 1L, API_CALLS, 1L));
    assertThat(open.allowed()).isTrue();
    assertThat(open.degraded()).isTrue();
  }

  @Test
  void operationsWithoutAFailureModeThrowATypedException() {
    QuotaEnforcer q = enforcer(FailureMode.FAIL_OPEN, t -> "free");
    q.tryConsume(ACME, FILES, 5);
    store.down(true);
    assertThatThrownBy(() -> q.release(ACME, FILES, 1))
        .isInstanceOf(QuotaUnavailableException.class)
        .hasMessageContaining("release files")
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> q.admin().status(ACME)).isInstanceOf(QuotaUnavailableException.class);
    assertThatThrownBy(() -> q.admin().setOverride(ACME, FILES, 1L))
        .isInstanceOf(QuotaUnavailableException.class);
    assertThatThrownBy(() -> q.admin().overrides(ACME))
        .isInstanceOf(QuotaUnavailableException.class);
    assertThatThrownBy(() -> q.admin().purge(ACME)).isInstanceOf(QuotaUnavailableException.class);
    store.down(false);
    assertThat(QuotaEnforcerTest.used(q, ACME, FILES)).isEqualTo(5);
    assertThat(q.admin().overrides(ACME)).isEmpty();
  }
}
