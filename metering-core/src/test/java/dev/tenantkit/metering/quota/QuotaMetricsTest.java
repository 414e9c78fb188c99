package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.REQUESTS_PER_MINUTE;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
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

  @Test
  void tenantTagsGoOnlyToTheFirstTenantsAndTheRestCountUnderOther() {
    SimpleMeterRegistry tagged = new SimpleMeterRegistry();
    QuotaEnforcer enforcer =
        Quotas.builder()
            .planOf(t -> "free")
            .clock(FakeClock.create())
            .meterRegistry(tagged)
            .tenantTags(TenantTags.firstSeen(1))
            .build();
    for (String tenant : new String[] {"acme", "globex", "initech"}) {
      for (int i = 0; i < 31; i++) {
        enforcer.tryConsume(TenantId.of(tenant), REQUESTS_PER_MINUTE, 1);
      }
    }
    enforcer.tryConsumeAll(TenantId.of("globex"), Map.of(API_CALLS, 1L, TOKENS, 1_000_000L));
    enforcer.admin().purge(TenantId.of("acme"));
    enforcer.tryConsume(TenantId.of("acme"), API_CALLS, 1);

    assertThat(count(tagged, REQUESTS_PER_MINUTE, "allowed", "acme")).isEqualTo(30);
    assertThat(count(tagged, REQUESTS_PER_MINUTE, "denied", "acme")).isEqualTo(1);
    assertThat(count(tagged, REQUESTS_PER_MINUTE, "allowed", TenantTags.OTHER)).isEqualTo(60);
    assertThat(count(tagged, REQUESTS_PER_MINUTE, "denied", TenantTags.OTHER)).isEqualTo(2);
    assertThat(count(tagged, TOKENS, "denied", TenantTags.OTHER)).isEqualTo(1);
    assertThat(count(tagged, API_CALLS, "allowed", "acme"))
        .as("a purged tenant keeps its tag")
        .isEqualTo(1);
    for (Meter m : tagged.getMeters()) {
      assertThat(m.getId().getTag(TenantTags.KEY)).isIn("acme", TenantTags.OTHER);
    }
  }

  @Test
  void aRegistryFilterKeepsOnlyChosenTenantsAsTenancyMdDescribes() {
    SimpleMeterRegistry chosenOnly = new SimpleMeterRegistry();
    Set<String> chosen = Set.of("globex");
    chosenOnly
        .config()
        .meterFilter(
            MeterFilter.replaceTagValues(
                TenantTags.KEY, t -> chosen.contains(t) ? t : TenantTags.OTHER));
    QuotaEnforcer enforcer =
        Quotas.builder()
            .planOf(t -> "free")
            .clock(FakeClock.create())
            .meterRegistry(chosenOnly)
            .tenantTags(TenantTags.firstSeen(TenantTags.MAX_TENANTS))
            .build();
    for (String tenant : new String[] {"acme", "globex", "initech"}) {
      enforcer.tryConsume(TenantId.of(tenant), REQUESTS_PER_MINUTE, 1);
    }

    assertThat(count(chosenOnly, REQUESTS_PER_MINUTE, "allowed", "globex")).isEqualTo(1);
    assertThat(count(chosenOnly, REQUESTS_PER_MINUTE, "allowed", TenantTags.OTHER)).isEqualTo(2);
  }

  private static double count(
      SimpleMeterRegistry registry, String limit, String outcome, String tenant) {
    return registry
        .get("tenantkit.quota.decisions")
        .tag("limit", limit)
        .tag("outcome", outcome)
        .tag(TenantTags.KEY, tenant)
        .counter()
        .count();
  }
}
