package dev.tenantkit.billing.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlanVersionTest {
  private static PlanCharge base(String fee) {
    return PlanCharge.of(Charge.flat("base", new FlatPrice(new BigDecimal(fee))));
  }

  private static PlanCharge calls(String price) {
    return PlanCharge.of(
        Charge.usage(
            "calls", "api_calls", Aggregation.SUM, new StandardPrice(new BigDecimal(price))));
  }

  @Test
  void theFingerprintIsCanonical() {
    PlanPrices a = PlanPrices.of("USD", BillingInterval.MONTH, base("29"), calls("0.10"));
    PlanPrices b = PlanPrices.of("USD", BillingInterval.MONTH, base("29.000"), calls("0.1"));
    assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).matches("sha256:[0-9a-f]{64}");
    assertThat(Fingerprints.canonical(a))
        .contains("model:flat{amount=29}")
        .contains("meter=\"api_calls\"")
        .contains("currency=USD");
  }

  @Test
  void everyChangeChangesTheFingerprint() {
    List<PlanPrices> variants =
        List.of(
            PlanPrices.of("USD", BillingInterval.MONTH, base("29"), calls("0.10")),
            PlanPrices.of("EUR", BillingInterval.MONTH, base("29"), calls("0.10")),
            PlanPrices.of("USD", BillingInterval.YEAR, base("29"), calls("0.10")),
            PlanPrices.of("USD", BillingInterval.MONTH, base("29.01"), calls("0.10")),
            PlanPrices.of("USD", BillingInterval.MONTH, calls("0.10"), base("29")),
            PlanPrices.of("USD", BillingInterval.MONTH, base("29"), calls("0.11")),
            PlanPrices.of("USD", BillingInterval.MONTH, base("29")),
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                base("29"),
                calls("0.10").withUnit(BigDecimal.valueOf(1000))),
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                PlanCharge.of(base("29").charge().withProrated(false)),
                calls("0.10")),
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                base("29"),
                PlanCharge.of(calls("0.10").charge().withFreeUnits(BigDecimal.TEN))));
    Set<String> prints = new HashSet<>();
    variants.forEach(v -> prints.add(v.fingerprint()));
    assertThat(prints).hasSize(variants.size());
  }

  @Test
  void aVersionCarriesItsPricesFingerprint() {
    PlanPrices p = PlanPrices.of("USD", BillingInterval.MONTH, base("29"));
    PlanVersion v = PlanVersion.of("starter", 1, p);
    assertThat(v.currency().getCurrencyCode()).isEqualTo("USD");
    assertThat(v.interval()).isEqualTo(BillingInterval.MONTH);
    assertThat(v.charges()).containsExactly(base("29"));
    assertThat(v).hasToString("starter v1");
    assertThatThrownBy(() -> new PlanVersion("starter", 1, p, "sha256:00"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("not the fingerprint");
    assertThatThrownBy(() -> PlanVersion.of("starter", 0, p))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aYearlyFeeIsComparedPerMonth() {
    PlanPrices yearly = PlanPrices.of("USD", BillingInterval.YEAR, base("300"));
    assertThat(yearly.monthlyFee().amount()).isEqualByComparingTo("25");
    PlanPrices third = PlanPrices.of("USD", BillingInterval.YEAR, base("100"));
    assertThat(third.monthlyFee().amount()).isEqualByComparingTo("8.333333333333");
  }
}
