package dev.tenantkit.billing.price;

import static dev.tenantkit.billing.price.TieredPricesTest.assertField;
import static dev.tenantkit.billing.price.TieredPricesTest.bill;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PackagePriceTest {

  // Lago: "charge $5 per 100 units and offer the first 100 units ... 201 units would cost $0
  // (first 100 units) + $5 (next 100 units) + $5 (last unit) = $10."
  // https://docs.getlago.com/guide/plans/charges/charge-models/package
  @Test
  void lagoPackageExample() {
    PackagePrice lago =
        new PackagePrice(new BigDecimal("100"), new BigDecimal("5"), new BigDecimal("100"), false);
    assertThat(bill(lago, "201")).isEqualByComparingTo("10");
    Fee fee = lago.price(Usage.of(201));
    assertThat(fee.steps().get(0).units()).isEqualByComparingTo("2");
  }

  // Stripe's quantity transformation: "$10 for every 5 users (or portion thereof)": 1, 3 and 5
  // users bill $10, 6 and 7 bill $20.
  // https://stripe.com/docs/billing/subscriptions/quantity-transformation
  @Test
  void stripePerFiveUsersExample() {
    PackagePrice perFive = PackagePrice.of("5", "10");
    assertThat(bill(perFive, "1")).isEqualByComparingTo("10");
    assertThat(bill(perFive, "3")).isEqualByComparingTo("10");
    assertThat(bill(perFive, "5")).isEqualByComparingTo("10");
    assertThat(bill(perFive, "6")).isEqualByComparingTo("20");
    assertThat(bill(perFive, "7")).isEqualByComparingTo("20");
  }

  // Stripe: 10 USD per hour, usage reported in minutes and rounded up: "If a customer rents the
  // car for 150 minutes, that customer is charged 30 USD for 3 hours of rental".
  // https://docs.stripe.com/billing/subscriptions/usage-based/transform-quantities
  @Test
  void stripeCarRentalExample() {
    assertThat(bill(PackagePrice.of("60", "10"), "150")).isEqualByComparingTo("30");
  }

  @Test
  void startedPackagesAreBilledInFullOrDropped() {
    PackagePrice up = PackagePrice.of("100", "5");
    PackagePrice down = new PackagePrice(new BigDecimal("100"), new BigDecimal("5"), null, true);
    assertThat(bill(up, "1")).isEqualByComparingTo("5");
    assertThat(bill(up, "100")).isEqualByComparingTo("5");
    assertThat(bill(up, "100.01")).isEqualByComparingTo("10");
    assertThat(bill(down, "99.99")).isEqualByComparingTo("0");
    assertThat(bill(down, "199")).isEqualByComparingTo("5");
    assertThat(bill(down, "200")).isEqualByComparingTo("10");
  }

  @Test
  void zeroAndFreeUnitsBillNothing() {
    PackagePrice p =
        new PackagePrice(new BigDecimal("100"), new BigDecimal("5"), new BigDecimal("100"), false);
    assertThat(bill(p, "0")).isEqualByComparingTo("0");
    assertThat(p.price(Usage.of(0)).steps()).isEmpty();
    assertThat(bill(p, "100")).isEqualByComparingTo("0");
    assertThat(bill(p, "100.5")).isEqualByComparingTo("5");
  }

  @Test
  void refusesBadConfiguration() {
    assertField(() -> PackagePrice.of("0", "5"), "package_size", "more than zero");
    assertField(() -> PackagePrice.of("-1", "5"), "package_size");
    assertField(() -> PackagePrice.of("100", "-5"), "amount");
    assertField(
        () -> new PackagePrice(BigDecimal.TEN, BigDecimal.ONE, new BigDecimal("-1"), false),
        "free_units");
  }
}
