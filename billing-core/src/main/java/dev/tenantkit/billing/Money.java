package dev.tenantkit.billing;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An exact amount of one ISO 4217 currency. Immutable and thread-safe; never a {@code double}.
 *
 * <p>An amount is either <em>precise</em> (as computed: up to {@link #PRECISE_SCALE} decimals,
 * which every operation keeps by rounding half-up there) or <em>rounded</em> to the currency's
 * minor unit by {@link #rounded()} (half-up: USD 2 decimals, JPY 0, KWD 3). Invoice lines keep
 * both; an invoice sums rounded lines. Equality is numeric ({@code 1.5} equals {@code 1.50}).
 *
 * <p>Example: {@code Money.of("10.005", "USD").rounded()} is {@code 10.01 USD}; {@code
 * Money.of("2.5", "JPY").rounded()} is {@code 3 JPY}.
 *
 * @param amount the amount, at most {@link #PRECISE_SCALE} decimals (trailing zeros removed)
 * @param currency the currency; its {@link Currency#getDefaultFractionDigits()} is the minor unit
 */
public record Money(BigDecimal amount, Currency currency) implements Comparable<Money> {

  /** The decimals every computed amount and unit price keeps before rounding to money: 12. */
  public static final int PRECISE_SCALE = 12;

  /**
   * The most digits an amount may have before the decimal point: 15, so that any rounded amount of
   * a currency with up to three decimals fits a {@code long} in minor units.
   */
  public static final int MAX_INTEGER_DIGITS = 15;

  /**
   * Checks the components and rounds the amount half-up to {@link #PRECISE_SCALE} decimals.
   *
   * @throws InvalidInputException if a component is missing or the currency has no minor unit (such
   *     as {@code XXX})
   */
  public Money {
    if (amount == null) {
      throw new InvalidInputException("amount", "is required");
    }
    if (currency == null) {
      throw new InvalidInputException("currency", "is required");
    }
    if (currency.getDefaultFractionDigits() < 0) {
      throw new InvalidInputException(
          "currency", currency.getCurrencyCode() + " is not a currency that money can be in");
    }
    if (amount.precision() - amount.scale() > MAX_INTEGER_DIGITS) {
      throw new InvalidInputException(
          "amount", "has more than " + MAX_INTEGER_DIGITS + " digits before the decimal point");
    }
    amount = precise(amount);
  }

  /**
   * The amount in a currency given by its ISO 4217 code.
   *
   * @throws InvalidInputException if the amount is not a decimal number or the code is unknown
   */
  public static Money of(String amount, String currencyCode) {
    return new Money(decimal("amount", amount), currency(currencyCode));
  }

  /** The amount in this currency. */
  public static Money of(BigDecimal amount, Currency currency) {
    return new Money(amount, currency);
  }

  /** Zero in this currency. */
  public static Money zero(Currency currency) {
    return new Money(BigDecimal.ZERO, currency);
  }

  /**
   * The currency with this ISO 4217 code (upper case, three letters).
   *
   * @throws InvalidInputException if the code is not a known currency
   */
  public static Currency currency(String code) {
    if (code == null || !code.matches("[A-Z]{3}")) {
      throw new InvalidInputException("currency", "is an ISO 4217 code such as USD");
    }
    try {
      Currency c = Currency.getInstance(code);
      if (c.getDefaultFractionDigits() < 0) {
        throw new InvalidInputException(
            "currency", code + " is not a currency that money can be in");
      }
      return c;
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("currency", "unknown ISO 4217 currency '" + code + "'");
    }
  }

  /**
   * Rounds a computed amount, unit price or quantity half-up to {@link #PRECISE_SCALE} decimals and
   * removes trailing zeros, so equal values print alike.
   */
  public static BigDecimal precise(BigDecimal value) {
    BigDecimal v =
        value.scale() > PRECISE_SCALE ? value.setScale(PRECISE_SCALE, RoundingMode.HALF_UP) : value;
    v = v.stripTrailingZeros();
    return v.scale() < 0 ? v.setScale(0) : v;
  }

  /** The number of decimals of the currency's minor unit (USD 2, JPY 0, KWD 3). */
  public int minorUnits() {
    return currency.getDefaultFractionDigits();
  }

  /** This amount rounded half-up to the currency's minor unit, with exactly that many decimals. */
  public Money rounded() {
    return new Money(amount.setScale(minorUnits(), RoundingMode.HALF_UP), currency);
  }

  /** Whether the amount has no more decimals than the currency's minor unit. */
  public boolean isRounded() {
    return amount.scale() <= minorUnits();
  }

  /**
   * The amount in minor units (cents), for a payment provider.
   *
   * @throws ArithmeticException if the amount is not rounded or does not fit a {@code long}
   */
  public long minorUnitsAmount() {
    return amount.movePointRight(minorUnits()).longValueExact();
  }

  /** The amount rounded to minor units as text with exactly that many decimals: {@code 10.50}. */
  public String toPlainString() {
    return amount
        .setScale(Math.max(amount.scale(), minorUnits()), RoundingMode.UNNECESSARY)
        .toPlainString();
  }

  /**
   * The sum.
   *
   * @throws InvalidInputException if the currencies differ
   */
  public Money plus(Money other) {
    return new Money(amount.add(same(other).amount), currency);
  }

  /**
   * The difference.
   *
   * @throws InvalidInputException if the currencies differ
   */
  public Money minus(Money other) {
    return new Money(amount.subtract(same(other).amount), currency);
  }

  /** This amount times a factor, kept to {@link #PRECISE_SCALE} decimals. */
  public Money times(BigDecimal factor) {
    return new Money(amount.multiply(factor), currency);
  }

  /** The negated amount. */
  public Money negate() {
    return new Money(amount.negate(), currency);
  }

  /** Whether the amount is zero. */
  public boolean isZero() {
    return amount.signum() == 0;
  }

  /** Whether the amount is below zero. */
  public boolean isNegative() {
    return amount.signum() < 0;
  }

  /** The smaller of the two. */
  public Money min(Money other) {
    return compareTo(other) <= 0 ? this : other;
  }

  /** The larger of the two. */
  public Money max(Money other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /**
   * Compares amounts.
   *
   * @throws InvalidInputException if the currencies differ
   */
  @Override
  public int compareTo(Money other) {
    return amount.compareTo(same(other).amount);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Money m && currency.equals(m.currency) && amount.compareTo(m.amount) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(amount, currency);
  }

  /** {@code 10.50 USD}: the precise amount, with at least the currency's decimals. */
  @Override
  public String toString() {
    return toPlainString() + " " + currency.getCurrencyCode();
  }

  private Money same(Money other) {
    Objects.requireNonNull(other, "other");
    if (!currency.equals(other.currency)) {
      throw new InvalidInputException(
          "currency",
          "cannot combine "
              + currency.getCurrencyCode()
              + " with "
              + other.currency.getCurrencyCode());
    }
    return other;
  }

  private static BigDecimal decimal(String field, String text) {
    if (text == null) {
      throw new InvalidInputException(field, "is required");
    }
    try {
      return new BigDecimal(text);
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "is not a decimal number: '" + text + "'");
    }
  }
}
