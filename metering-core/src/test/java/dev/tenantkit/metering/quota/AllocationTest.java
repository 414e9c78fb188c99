package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The in-memory hot path allocates nothing but the decision (64 bytes). Measured in bytes allocated
 * by this thread, not in time, so the result does not depend on the machine's speed.
 */
class AllocationTest {
  private static final int CALLS = 200_000;
  private static final long BYTES_PER_CALL = 80;

  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private final FakeClock clock = FakeClock.create();
  private final TenantId acme = TenantId.of("acme");

  private Quotas.Builder enforcer() {
    return Quotas.builder()
        .store(InMemoryQuotaStore.create())
        .planOf(t -> "enterprise")
        .clock(clock);
  }

  private long bytesPerCall(QuotaEnforcer q, String limit) {
    // Warm up, so the path measured is the compiled one.
    for (int i = 0; i < CALLS; i++) {
      q.tryConsume(acme, limit, 1);
    }
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    long allowed = 0;
    for (int i = 0; i < CALLS; i++) {
      if (q.tryConsume(acme, limit, 1).allowed()) {
        allowed++;
      }
    }
    long after = threads.getThreadAllocatedBytes(id);
    assertThat(allowed).isEqualTo(CALLS);
    return (after - before) / CALLS;
  }

  private void assertOnlyTheDecisionIsAllocated(QuotaEnforcer q) {
    // Enterprise is unlimited; overrides make the limits finite so the store is really used.
    q.admin().setOverride(acme, REQUESTS_PER_MINUTE, 1_000_000_000L);
    q.admin().setOverride(acme, API_CALLS, 1_000_000_000L);
    assertThat(threads.isThreadAllocatedMemorySupported()).isTrue();
    threads.setThreadAllocatedMemoryEnabled(true);
    assertThat(bytesPerCall(q, REQUESTS_PER_MINUTE)).isLessThanOrEqualTo(BYTES_PER_CALL);
    assertThat(bytesPerCall(q, API_CALLS)).isLessThanOrEqualTo(BYTES_PER_CALL);
  }

  @Test
  void tryConsumeOfOneLimitAllocatesOnlyTheDecision() {
    assertOnlyTheDecisionIsAllocated(enforcer().build());
  }

  @Test
  void perTenantMetricsAddNoAllocation() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    assertOnlyTheDecisionIsAllocated(
        enforcer().meterRegistry(registry).tenantTags(TenantTags.firstSeen(10)).build());
    assertThat(
            registry
                .get("tenantkit.quota.decisions")
                .tag(TenantTags.KEY, "acme")
                .tag("limit", API_CALLS)
                .tag("outcome", "allowed")
                .counter()
                .count())
        .isEqualTo(2.0 * CALLS);
  }
}
