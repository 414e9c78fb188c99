package dev.tenantkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void roundsHalfUpToTheCurrencysMinorUnit() {
    assertThat(Money.of("10.005", "USD").rounded().toPlainString()).isEqualTo("10.01");
    assertThat(Money.of("10.004999", "USD").rounded().toPlainString()).isEqualTo("10.00");
    assertThat(Money.of("2.5", "JPY").rounded().toPlainString()).isEqualTo("3");
    assertThat(Money.of("1.2345", "KWD").rounded().toPlainString()).isEqualTo("1.235");
    assertThat(Money.of("-0.005", "USD").rounded().toPlainString()).isEqualTo("-0.01");
  }

  @Test
  void keepsTwelveDecimalsWhileComputing() {
    Money m = Money.of("1", "USD").times(new BigDecimal("0.1234567890125"));
    assertThat(m.amount()).isEqualByComparingTo("0.123456789013");
    assertThat(m.isRounded()).isFalse();
  }

  @Test
  void equalityIsNumeric() {
    assertThat(Money.of("1.5", "USD")).isEqualTo(Money.of("1.50", "USD"));
    assertThat(Money.of("1.5", "USD").hashCode()).isEqualTo(Money.of("1.50", "USD").hashCode());
    assertThat(Money.of("1.5", "USD")).isNotEqualTo(Money.of("1.5", "EUR"));
  }

  @Test
  void minorUnitsAmountIsExact() {
    assertThat(Money.of("10.50", "USD").minorUnitsAmount()).isEqualTo(1050);
    assertThat(Money.of("1050", "JPY").minorUnitsAmount()).isEqualTo(1050);
    assertThat(Money.of("1.050", "KWD").minorUnitsAmount()).isEqualTo(1050);
    assertThatThrownBy(() -> Money.of("0.001", "USD").minorUnitsAmount())
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void refusesMixedCurrenciesUnknownCodesAndHugeAmounts() {
    assertThatThrownBy(() -> Money.of("1", "USD").plus(Money.of("1", "EUR")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("USD")
        .hasMessageContaining("EUR");
    assertThatThrownBy(() -> Money.of("1", "ABC")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Money.of("1", "usd")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Money.of("1", "XXX")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Money.of("1e30", "USD")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> Money.of("ten", "USD")).isInstanceOf(InvalidInputException.class);
  }
}
