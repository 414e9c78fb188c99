package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Volume tiers: the whole quantity is priced at the unit price of the one tier it reaches, plus
 * that tier's flat fee. With a block size the whole quantity is counted in started blocks of the
 * tier reached (Kill Bill's {@code TOP_TIER} tiered blocks). Immutable and thread-safe.
 *
 * <p>A quantity of zero is in the first tier and bills its flat fee only, as in {@link
 * GraduatedPrice} (OpenMeter's stated rule; Lago's {@code volume_service.rb} returns 0 for zero
 * units, but its pages do not say so). A quantity is in the tier whose bounds hold it, upper bound
 * included: with tiers {@code (0, 100]} and {@code (100, ∞)}, 100 is in the first, 100.5 in the
 * second.
 *
 * <p>Example (Lago's volume page): tiers to 10,000 at 0.0010, to 50,000 at 0.0008, to 100,000 at
 * 0.0006 and above at 0.0004, each with a flat fee of 10; 65,000 units bill 65,000 x 0.0006 + 10 =
 * 49.
 *
 * @param tiers the tiers, from 0, contiguous, the last one open-ended
 */
public record VolumePrice(List<Tier> tiers) implements PriceModel {

  /**
   * Checks the tiers.
   *
   * @throws InvalidInputException if the tiers do not start at 0, leave a gap, overlap or do not
   *     end open-ended
   */
  public VolumePrice {
    tiers = Tiers.contiguous(tiers);
  }

  /** Volume tiers. */
  public static VolumePrice of(Tier... tiers) {
    return new VolumePrice(List.of(tiers));
  }

  @Override
  public String type() {
    return "volume";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal quantity = usage.quantity();
    if (quantity.signum() == 0 && tiers.get(0).flatFee().signum() == 0) {
      return new Fee(BigDecimal.ZERO, List.of());
    }
    int i = Tiers.indexOf(tiers, quantity);
    Tier tier = tiers.get(i);
    BigDecimal amount = Money.precise(tier.variable(quantity).add(tier.flatFee()));
    return Fee.of(
        amount,
        new FeeStep(
            Tiers.label(i, tier) + GraduatedPrice.blocks(tier),
            tier.billedUnits(quantity),
            tier.unitPrice(),
            tier.flatFee(),
            amount));
  }
}
