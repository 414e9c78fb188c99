package dev.tenantkit.billing.price;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;

/**
 * One tier of a {@link GraduatedPercentagePrice}: the part of the running total above {@code from}
 * up to and including {@code upTo}, charged at {@code rate} percent, plus a flat fee once the total
 * enters the tier. Immutable and thread-safe.
 *
 * @param from the amount the tier starts after, zero or more
 * @param upTo the last amount of the tier, or {@code null} for the open-ended last tier
 * @param rate the percentage, 0 to 100
 * @param flatFee billed once when the running total enters the tier; zero or more ({@code null}
 *     reads as zero)
 */
public record RateTier(BigDecimal from, BigDecimal upTo, BigDecimal rate, BigDecimal flatFee)
    implements Tiers.Bounded {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException naming the field that breaks a rule
   */
  public RateTier {
    from = Tiers.bound("from", from);
    if (upTo != null) {
      upTo = Tiers.bound("up_to", upTo);
      if (upTo.compareTo(from) <= 0) {
        throw new InvalidInputException("up_to", "is above from (" + from.toPlainString() + ")");
      }
    }
    rate = Tiers.percent("rate", rate);
    flatFee = flatFee == null ? BigDecimal.ZERO : Tiers.nonNegative("flat_fee", flatFee);
  }

  /** A tier from its decimal texts; {@code upTo} and {@code flatFee} may be {@code null}. */
  public static RateTier of(String from, String upTo, String rate, String flatFee) {
    return new RateTier(
        Tiers.decimal(from), Tiers.decimal(upTo), Tiers.decimal(rate), Tiers.decimal(flatFee));
  }
}
