package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * A flat amount per period whatever the usage: a subscription fee. Example: Starter's 29 USD a
 * month; prorated by its {@link Charge} for a partial period.
 *
 * @param amount the amount per full period, zero or more
 */
public record FlatPrice(BigDecimal amount) implements PriceModel {

  /**
   * Checks the amount.
   *
   * @throws InvalidInputException if the amount is missing or negative
   */
  public FlatPrice {
    if (amount == null || amount.signum() < 0) {
      throw new InvalidInputException("amount", "a flat amount is zero or more");
    }
    amount = Money.precise(amount);
  }

  @Override
  public String type() {
    return "flat";
  }

  @Override
  public Fee price(Usage usage) {
    return Fee.of(amount, new FeeStep("flat", BigDecimal.ONE, amount, BigDecimal.ZERO, amount));
  }
}
