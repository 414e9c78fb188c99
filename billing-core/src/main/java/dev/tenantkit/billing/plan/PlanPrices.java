package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a plan costs: its currency, billing interval and charges (flat fees and usage charges).
 * Immutable and thread-safe. Published to a {@link dev.tenantkit.billing.plan.spi.PlanVersionStore}
 * it becomes a numbered {@link PlanVersion}.
 *
 * @param currency the currency of every charge
 * @param interval the billing period's length
 * @param charges the charges, in invoice order; codes unique
 */
public record PlanPrices(Currency currency, BillingInterval interval, List<PlanCharge> charges) {

  /**
   * Checks the components and copies the list.
   *
   * @throws InvalidInputException if a component is missing, the currency has no minor unit, or two
   *     charges share a code
   */
  public PlanPrices {
    if (currency == null) {
      throw new InvalidInputException("currency", "is required");
    }
    Money.currency(currency.getCurrencyCode());
    if (interval == null) {
      throw new InvalidInputException("interval", "is required");
    }
    if (charges == null) {
      throw new InvalidInputException("charges", "is required");
    }
    charges = List.copyOf(charges);
    Set<String> codes = new HashSet<>();
    for (PlanCharge c : charges) {
      if (!codes.add(c.code())) {
        throw new InvalidInputException("charges", "charge code '" + c.code() + "' is used twice");
      }
    }
  }

  /** Prices in the currency with this ISO 4217 code. */
  public static PlanPrices of(String currency, BillingInterval interval, PlanCharge... charges) {
    return new PlanPrices(Money.currency(currency), interval, List.of(charges));
  }

  /** The charge with this code, or empty. */
  public Optional<PlanCharge> charge(String code) {
    return charges.stream().filter(c -> c.code().equals(code)).findFirst();
  }

  /**
   * The flat recurring fees of one full period, after their discounts: what the plan costs before
   * usage. Precise.
   */
  public Money recurringFee() {
    Money sum = Money.zero(currency);
    for (PlanCharge c : charges) {
      if (c.charge().isFlat()) {
        sum = sum.plus(Money.of(c.charge().price(Usage.NONE, BigDecimal.ONE).total(), currency));
      }
    }
    return sum;
  }

  /**
   * {@link #recurringFee()} per month (a yearly fee divided by 12, to {@link Money#PRECISE_SCALE}
   * decimals half-up), to compare plans of different intervals as Lago does to tell an upgrade from
   * a downgrade.
   */
  public Money monthlyFee() {
    Money fee = recurringFee();
    return Money.of(
        fee.amount()
            .divide(
                BigDecimal.valueOf(interval.months()), Money.PRECISE_SCALE, RoundingMode.HALF_UP),
        currency);
  }

  /**
   * A canonical fingerprint of these prices ({@code sha256:} and 64 hex digits): equal prices have
   * equal fingerprints whatever the order of building ({@code 29} and {@code 29.00} are one price);
   * any change of currency, interval, charge order or any charge field changes it.
   */
  public String fingerprint() {
    return Fingerprints.of(this);
  }
}
