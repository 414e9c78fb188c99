package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which threshold of lifetime usage triggers a progressive invoice. */
class ProgressiveBillingTest {
  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /** Lago's step thresholds 5, 20, 50, 100 and 1,000, then here every 500 after the last. */
  private static final ProgressiveBilling.Thresholds LAGO =
      new ProgressiveBilling.Thresholds(
          List.of(usd("5"), usd("20"), usd("50"), usd("100"), usd("1000")), usd("500"));

  @Test
  void theHighestThresholdReachedSinceTheLastInvoice() {
    assertThat(ProgressiveBilling.due(LAGO, usd("0"), usd("4.99"))).isEmpty();
    assertThat(ProgressiveBilling.due(LAGO, usd("0"), usd("5"))).contains(usd("5"));
    assertThat(ProgressiveBilling.due(LAGO, usd("5"), usd("19.99"))).isEmpty();
    assertThat(ProgressiveBilling.due(LAGO, usd("5"), usd("20"))).contains(usd("20"));
    // Two thresholds passed at once make one invoice, for the higher.
    assertThat(ProgressiveBilling.due(LAGO, usd("20"), usd("120"))).contains(usd("100"));
  }

  @Test
  void everyRecurringAmountAfterTheLastStep() {
    assertThat(ProgressiveBilling.due(LAGO, usd("100"), usd("1499.99"))).contains(usd("1000"));
    assertThat(ProgressiveBilling.due(LAGO, usd("1000"), usd("1499.99"))).isEmpty();
    assertThat(ProgressiveBilling.due(LAGO, usd("1000"), usd("1500"))).contains(usd("1500"));
    assertThat(ProgressiveBilling.due(LAGO, usd("1500"), usd("2600"))).contains(usd("2500"));
    ProgressiveBilling.Thresholds onlyRecurring =
        new ProgressiveBilling.Thresholds(List.of(), usd("50"));
    assertThat(ProgressiveBilling.due(onlyRecurring, usd("0"), usd("49"))).isEmpty();
    assertThat(ProgressiveBilling.due(onlyRecurring, usd("0"), usd("120"))).contains(usd("100"));
  }

  @Test
  void badThresholdsAreRefused() {
    assertThatThrownBy(() -> new ProgressiveBilling.Thresholds(List.of(), null))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new ProgressiveBilling.Thresholds(List.of(usd("20"), usd("5")), null))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> new ProgressiveBilling.Thresholds(List.of(usd("0")), null))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(
            () -> ProgressiveBilling.due(LAGO, Money.of("0", "EUR"), Money.of("10", "EUR")))
        .isInstanceOf(InvalidInputException.class);
  }
}
