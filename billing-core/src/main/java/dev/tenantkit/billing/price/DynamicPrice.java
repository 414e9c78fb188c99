package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * Dynamic: each event carries its own price, so the charge's meter sums those prices (a {@code SUM}
 * meter whose value is the event's amount, such as {@code $.total_amount}) and the model bills that
 * sum times an optional multiplier (a mark-up). Immutable and thread-safe.
 *
 * <p>Example (Lago's dynamic page): events of 0.70, 0.55 and 2.20 bill 3.45; with a multiplier of
 * 1.2 they bill 4.14.
 *
 * @param multiplier what the summed prices are multiplied by, zero or more (1 for none)
 */
public record DynamicPrice(BigDecimal multiplier) implements PriceModel {

  /**
   * Checks the multiplier.
   *
   * @throws InvalidInputException if it is negative
   */
  public DynamicPrice {
    if (multiplier == null || multiplier.signum() < 0) {
      throw new InvalidInputException("multiplier", "a multiplier is zero or more");
    }
    multiplier = Money.precise(multiplier);
  }

  /** The summed prices as they are. */
  public static DynamicPrice of() {
    return new DynamicPrice(BigDecimal.ONE);
  }

  @Override
  public String type() {
    return "dynamic";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal amount = usage.quantity().multiply(multiplier);
    return Fee.of(
        amount,
        new FeeStep(
            "prices carried by the events, x " + multiplier.toPlainString(),
            usage.quantity(),
            multiplier,
            BigDecimal.ZERO,
            Money.precise(amount)));
  }
}
