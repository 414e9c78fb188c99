package dev.tenantkit.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The quota decision and the invoice agree: what the default prices bill as overage, the quota
 * engine fed with the same catalog allows (with a warning); what they do not bill, it denies.
 */
class QuotaAgreementTest {
  private static final TenantId FREE = TenantId.of("on-free");
  private static final TenantId STARTER = TenantId.of("on-starter");

  @Test
  void overageBilledIsOverageAllowed() {
    PriceCatalog catalog = PriceCatalog.defaults();
    Map<TenantId, String> plans = Map.of(FREE, "free", STARTER, "starter");
    QuotaEnforcer quotas = Quotas.builder().catalog(catalog.limits()).planOf(plans::get).build();

    QuotaDecision starter = quotas.tryConsume(STARTER, PlanCatalog.FILES, 1_013);
    assertThat(starter.allowed()).isTrue();
    assertThat(starter.softWarning()).isTrue();
    PlanCharge files = catalog.requirePrices("starter").charge("files_overage").orElseThrow();
    LimitSpec spec = catalog.limits().plan("starter").orElseThrow().limits().get(files.limit());
    BigDecimal quantity = files.quantity(BigDecimal.valueOf(1_013), spec);
    assertThat(quantity).isEqualByComparingTo("13");
    assertThat(files.charge().price(Usage.of(quantity), BigDecimal.ONE).total())
        .isEqualByComparingTo("6.5");

    QuotaDecision free = quotas.tryConsume(FREE, PlanCatalog.FILES, 101);
    assertThat(free.allowed()).isFalse();
    assertThat(catalog.requirePrices("free").charges())
        .noneMatch(c -> PlanCatalog.FILES.equals(c.limit()));

    // The quota defaults alone still deny the starter's extra files: a host that bills must give
    // its enforcer the price catalog's limits.
    QuotaEnforcer hard =
        Quotas.builder().catalog(PlanCatalog.defaults()).planOf(plans::get).build();
    assertThat(hard.tryConsume(STARTER, PlanCatalog.FILES, 1_013).allowed()).isFalse();
  }
}
