package dev.tenantkit.billing.price;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * One tier of a {@link CapacityPrice}: a flat price for a period whose peak is at most {@code
 * upTo}. Immutable and thread-safe.
 *
 * @param upTo the largest peak of the tier, or {@code null} for the open-ended last tier
 * @param price the flat price of the period, zero or more
 */
public record CapacityTier(BigDecimal upTo, BigDecimal price) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a value is negative
   */
  public CapacityTier {
    if (upTo != null) {
      upTo = Tiers.bound("up_to", upTo);
    }
    price = Tiers.nonNegative("price", price);
  }

  /** A tier from its decimal texts; {@code upTo} may be {@code null}. */
  public static CapacityTier of(String upTo, String price) {
    return new CapacityTier(Tiers.decimal(upTo), Tiers.decimal(price));
  }
}
