package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Graduated percentage: tiers over the running total of the period's transaction amounts, each with
 * a rate on the part of the total inside it and a flat fee billed once when the total enters it.
 * The quantity priced is that total (a {@code SUM} meter of the amounts). Immutable and
 * thread-safe.
 *
 * <p>A total of zero bills nothing; tier bounds are continuous as in {@link Tier}.
 *
 * <p>Example (Lago's graduated percentage page): tiers to 1,000 at 1% + 200, to 10,000 at 2% + 300,
 * above at 3% + 400. Transactions of 500, 550 and 4,000 bill 205, 306 and 80: the period's total of
 * 5,050 bills 1,000 x 1% + 200 + 4,050 x 2% + 300 = 591.
 *
 * @param tiers the tiers, from 0, contiguous, the last one open-ended
 */
public record GraduatedPercentagePrice(List<RateTier> tiers) implements PriceModel {

  /**
   * Checks the tiers.
   *
   * @throws InvalidInputException if the tiers do not start at 0, leave a gap, overlap or do not
   *     end open-ended
   */
  public GraduatedPercentagePrice {
    tiers = Tiers.contiguous(tiers);
  }

  /** Graduated percentage tiers. */
  public static GraduatedPercentagePrice of(RateTier... tiers) {
    return new GraduatedPercentagePrice(List.of(tiers));
  }

  @Override
  public String type() {
    return "graduated_percentage";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal total = usage.quantity();
    List<FeeStep> steps = new ArrayList<>();
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < tiers.size() && total.compareTo(tiers.get(i).from()) > 0; i++) {
      RateTier tier = tiers.get(i);
      BigDecimal part = Tiers.unitsIn(tier, total);
      BigDecimal amount =
          Money.precise(part.multiply(tier.rate().movePointLeft(2)).add(tier.flatFee()));
      steps.add(
          new FeeStep(
              Tiers.label(i, tier) + " at " + tier.rate().toPlainString() + "%",
              part,
              tier.rate(),
              tier.flatFee(),
              amount));
      sum = sum.add(amount);
    }
    return new Fee(sum, steps);
  }
}
