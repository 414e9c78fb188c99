package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Packages: a price per package of {@code packageSize} units, after {@code freeUnits} free units. A
 * started package is billed in full (Lago: "a group counts from its first unit"), or dropped when
 * {@code roundDown} is set. Immutable and thread-safe.
 *
 * <p>Example (Lago's package page): 5 per 100 units with the first 100 free; 201 units bill 0
 * (first 100) + 5 (next 100) + 5 (last unit) = 10. Rounding down, they bill 5.
 *
 * @param packageSize the units in one package, more than zero
 * @param amount the price of one package, zero or more
 * @param freeUnits the units given free before packages are counted, zero or more
 * @param roundDown whether a started package is dropped instead of billed in full
 */
public record PackagePrice(
    BigDecimal packageSize, BigDecimal amount, BigDecimal freeUnits, boolean roundDown)
    implements PriceModel {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the package size is not above zero or a value is negative
   */
  public PackagePrice {
    if (packageSize == null || packageSize.signum() <= 0) {
      throw new InvalidInputException("package_size", "a package has more than zero units");
    }
    packageSize = Money.precise(packageSize);
    amount = Tiers.nonNegative("amount", amount);
    freeUnits = freeUnits == null ? BigDecimal.ZERO : Tiers.bound("free_units", freeUnits);
  }

  /** Packages billed in full when started, with no free units. */
  public static PackagePrice of(String packageSize, String amount) {
    return new PackagePrice(new BigDecimal(packageSize), new BigDecimal(amount), null, false);
  }

  @Override
  public String type() {
    return "package";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal billed = usage.quantity().subtract(freeUnits).max(BigDecimal.ZERO);
    BigDecimal packages =
        billed.divide(packageSize, 0, roundDown ? RoundingMode.FLOOR : RoundingMode.CEILING);
    BigDecimal total = packages.multiply(amount);
    if (usage.quantity().signum() == 0) {
      return new Fee(BigDecimal.ZERO, List.of());
    }
    return Fee.of(
        total,
        new FeeStep(
            "packages of " + packageSize.toPlainString() + " units",
            packages,
            amount,
            BigDecimal.ZERO,
            total));
  }
}
