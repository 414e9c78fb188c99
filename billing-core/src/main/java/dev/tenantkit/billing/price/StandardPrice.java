package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * Per unit ("standard" in Lago and Stripe): every unit at one price. Example: 1,250 API calls at
 * 0.0001 each bill 0.125, rounded on the invoice line to 0.13 USD.
 *
 * @param unitPrice the price of one unit, zero or more
 */
public record StandardPrice(BigDecimal unitPrice) implements PriceModel {

  /**
   * Checks the price.
   *
   * @throws InvalidInputException if the price is missing or negative
   */
  public StandardPrice {
    if (unitPrice == null || unitPrice.signum() < 0) {
      throw new InvalidInputException("unit_price", "a unit price is zero or more");
    }
    unitPrice = Money.precise(unitPrice);
  }

  @Override
  public String type() {
    return "standard";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal amount = usage.quantity().multiply(unitPrice);
    return Fee.of(
        amount, new FeeStep("per unit", usage.quantity(), unitPrice, BigDecimal.ZERO, amount));
  }
}
