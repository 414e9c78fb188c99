package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Graduated tiers: the quantity fills the first tier, then the next, and each tier prices the units
 * inside it at its own unit price (or per started block, as in Kill Bill's {@code ALL_TIERS} tiered
 * blocks), plus its flat fee once the quantity enters it. Immutable and thread-safe.
 *
 * <p>A quantity of zero bills the first tier's flat fee and nothing else: the tiers start at 0, so
 * the first tier is always reached. This is OpenMeter's stated rule ("Tiers start from 0, so
 * defining a flat fee in the first tier will always cause the customer to be billed, regardless of
 * usage"); to bill nothing at zero, give the first tier a unit price instead of a flat fee. Lago's
 * pages do not say what zero bills (its code skips the flat fee at zero). A fractional quantity
 * between two bounds is split at the bound: with tiers {@code (0, 100]} and {@code (100, ∞)}, 100.5
 * bills 100 units in the first tier and 0.5 in the second, and the second tier's flat fee.
 *
 * <p>Example (Lago's graduated page): 1 per unit for the first 100 units, 0.50 for the next 100,
 * 0.10 after that; 250 units bill 100 x 1 + 100 x 0.50 + 50 x 0.10 = 155.
 *
 * @param tiers the tiers, from 0, contiguous, the last one open-ended
 */
public record GraduatedPrice(List<Tier> tiers) implements PriceModel {

  /**
   * Checks the tiers.
   *
   * @throws InvalidInputException if the tiers do not start at 0, leave a gap, overlap or do not
   *     end open-ended
   */
  public GraduatedPrice {
    tiers = Tiers.contiguous(tiers);
  }

  /** Graduated tiers. */
  public static GraduatedPrice of(Tier... tiers) {
    return new GraduatedPrice(List.of(tiers));
  }

  @Override
  public String type() {
    return "graduated";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal quantity = usage.quantity();
    if (quantity.signum() == 0 && tiers.get(0).flatFee().signum() == 0) {
      return new Fee(BigDecimal.ZERO, List.of());
    }
    List<FeeStep> steps = new ArrayList<>();
    BigDecimal total = BigDecimal.ZERO;
    // The first tier is always entered (it starts at 0); the others once the quantity passes into
    // them.
    for (int i = 0;
        i < tiers.size() && (i == 0 || quantity.compareTo(tiers.get(i).from()) > 0);
        i++) {
      Tier tier = tiers.get(i);
      BigDecimal units = Tiers.unitsIn(tier, quantity);
      BigDecimal amount = Money.precise(tier.variable(units).add(tier.flatFee()));
      steps.add(
          new FeeStep(
              Tiers.label(i, tier) + blocks(tier),
              tier.billedUnits(units),
              tier.unitPrice(),
              tier.flatFee(),
              amount));
      total = total.add(amount);
    }
    return new Fee(total, steps);
  }

  static String blocks(Tier tier) {
    return tier.blockSize() == null
        ? ""
        : ", blocks of " + tier.blockSize().toPlainString() + " units";
  }
}
