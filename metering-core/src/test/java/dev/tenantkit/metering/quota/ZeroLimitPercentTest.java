package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.FILES;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link QuotaStatus#percentUsed()} of a limit set to 0: fully used, never a ratio to zero. */
class ZeroLimitPercentTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");

  private final QuotaEnforcer quotas =
      Quotas.builder()
          .catalog(PlanCatalog.defaults())
          .store(InMemoryQuotaStore.create())
          .planOf(t -> "free")
          .clock(FakeClock.at(Instant.parse("2026-01-15T12:00:00Z")))
          .build();

  private QuotaStatus status(TenantId tenant, String limit) {
    return quotas.admin().status(tenant).stream()
        .filter(s -> s.limitName().equals(limit))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aLimitOfZeroIsAHundredPercentUsedWithOrWithoutUsage() {
    assertThat(quotas.tryConsume(ACME, FILES, 2).allowed()).isTrue();
    quotas.admin().setOverride(ACME, FILES, 0L);
    quotas.admin().setOverride(GLOBEX, API_CALLS, 0L);

    QuotaStatus files = status(ACME, FILES);
    assertThat(files.used()).isEqualTo(2);
    assertThat(files.limit()).isZero();
    assertThat(files.remaining()).isZero();
    assertThat(files.percentUsed()).isEqualTo(100);
    QuotaStatus calls = status(GLOBEX, API_CALLS);
    assertThat(calls.used()).isZero();
    assertThat(calls.percentUsed()).isEqualTo(100);
    // Another tenant's limits are its own.
    assertThat(status(GLOBEX, FILES).percentUsed()).isZero();
    assertThat(status(ACME, API_CALLS).percentUsed()).isZero();
  }
}
