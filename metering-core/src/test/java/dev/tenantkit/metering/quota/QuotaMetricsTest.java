package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final QuotaEnforcer q =
      Quotas.builder()
          .planOf(t -> "free")
          .clock(FakeClock.create())
          .meterRegistry(registry)
          .build();

  private double count(String limit, String outcome) {
    var c =
        registry
            .find("tenantkit.quota.decisions")
            .tag("limit", limit)
            .tag("outcome", outcome)
            .counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void decisionsAreCountedByLimitAndOutcomeWithoutTenantTags() {
    for (String tenant : new String[] {"acme", "globex"}) {
      for (int i = 0; i < 31; i++) {
        q.tryConsume(TenantId.of(tenant), REQUESTS_PER_MINUTE, 1);
      }
    }
    q.tryConsume(TenantId.of("acme"), API_CALLS, 1);
    q.tryConsumeAll(TenantId.of("acme"), Map.of(API_CALLS, 1L, TOKENS, 1_000_000L));
    q.check(TenantId.of("acme"), API_CALLS, 1);

    assertThat(count(REQUESTS_PER_MINUTE, "allowed")).isEqualTo(60);
    assertThat(count(REQUESTS_PER_MINUTE, "denied")).isEqualTo(2);
    assertThat(count(API_CALLS, "allowed")).as("check is not a decision that counts").isEqualTo(1);
    assertThat(count(TOKENS, "denied")).isEqualTo(1);
    for (Meter m : registry.getMeters()) {
      assertThat(m.getId().getName()).isEqualTo("tenantkit.quota.decisions");
      assertThat(m.getId().getTags())
          .extracting(Tag::getKey)
          .containsExactlyInAnyOrder("limit", "outcome");
    }
  }
}
