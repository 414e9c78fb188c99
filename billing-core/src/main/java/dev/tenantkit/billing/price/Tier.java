package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * One tier of a {@link GraduatedPrice} or {@link VolumePrice}: the quantities above {@code from} up
 * to and including {@code upTo}, a price per unit (or per block of {@code blockSize} units) and a
 * flat fee billed once when the quantity enters the tier (the first tier, from 0, is entered even
 * by a quantity of zero). Immutable and thread-safe.
 *
 * <p>Bounds are continuous: Lago's tiers "0 to 100, 101 to ∞" are written here as {@code (0, 100]}
 * and {@code (100, ∞)}, so a fractional 100.5 puts 100 units in the first tier and 0.5 in the
 * second, as Lago computes it. The next tier's {@code from} is this tier's {@code upTo}.
 *
 * <p>Example: {@code Tier.perUnit("0", "100", "0.10", "2")} bills 50 units 2 + 50 x 0.10 = 7.
 *
 * @param from the quantity the tier starts after, zero or more
 * @param upTo the last quantity of the tier, or {@code null} for the open-ended last tier
 * @param unitPrice the price of one unit, or of one block when {@code blockSize} is set; zero or
 *     more
 * @param flatFee billed once when the quantity is in (or, for graduated tiers, passes through) the
 *     tier; zero or more ({@code null} reads as zero)
 * @param blockSize when set, the tier is priced per block of this many units, a started block
 *     billed in full (Kill Bill's tiered blocks); {@code null} prices per unit
 */
public record Tier(
    BigDecimal from,
    BigDecimal upTo,
    BigDecimal unitPrice,
    BigDecimal flatFee,
    BigDecimal blockSize)
    implements Tiers.Bounded {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException naming the field that breaks a rule (a negative price or bound,
   *     an empty tier, a block size of zero, a bounded tier that is not a whole number of blocks)
   */
  public Tier {
    from = Tiers.bound("from", from);
    if (upTo != null) {
      upTo = Tiers.bound("up_to", upTo);
      if (upTo.compareTo(from) <= 0) {
        throw new InvalidInputException("up_to", "is above from (" + from.toPlainString() + ")");
      }
    }
    unitPrice = Tiers.nonNegative(blockSize == null ? "unit_price" : "block_price", unitPrice);
    flatFee = flatFee == null ? BigDecimal.ZERO : Tiers.nonNegative("flat_fee", flatFee);
    if (blockSize != null) {
      if (blockSize.signum() <= 0) {
        throw new InvalidInputException("block_size", "a block has more than zero units");
      }
      blockSize = Money.precise(blockSize);
      if (upTo != null && upTo.subtract(from).remainder(blockSize).signum() != 0) {
        throw new InvalidInputException(
            "block_size", "a bounded tier of blocks spans a whole number of blocks");
      }
    }
  }

  /**
   * A tier priced per unit, from decimal texts; {@code upTo} and {@code flatFee} may be {@code
   * null}.
   *
   * @throws NumberFormatException if a text is not a decimal
   */
  public static Tier perUnit(String from, String upTo, String unitPrice, String flatFee) {
    return new Tier(
        Tiers.decimal(from),
        Tiers.decimal(upTo),
        Tiers.decimal(unitPrice),
        Tiers.decimal(flatFee),
        null);
  }

  /**
   * A tier priced per block of {@code blockSize} units, a started block billed in full, from
   * decimal texts; {@code upTo} may be {@code null}.
   *
   * @throws NumberFormatException if a text is not a decimal
   */
  public static Tier perBlock(String from, String upTo, String blockSize, String blockPrice) {
    return new Tier(
        Tiers.decimal(from),
        Tiers.decimal(upTo),
        Tiers.decimal(blockPrice),
        BigDecimal.ZERO,
        Tiers.decimal(blockSize));
  }

  /**
   * What {@code units} of this tier cost without the flat fee: units x unit price, or the started
   * blocks x block price.
   */
  BigDecimal variable(BigDecimal units) {
    return billedUnits(units).multiply(unitPrice);
  }

  /** The units priced: the units themselves, or the number of started blocks. */
  BigDecimal billedUnits(BigDecimal units) {
    return blockSize == null ? units : units.divide(blockSize, 0, RoundingMode.CEILING);
  }
}
