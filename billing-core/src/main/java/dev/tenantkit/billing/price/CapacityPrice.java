package dev.tenantkit.billing.price;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;

/**
 * Capacity (peak): the period's maximum chooses the first tier whose {@code upTo} holds it, and the
 * period bills that tier's flat price (Kill Bill's {@code CAPACITY} usage: the first tier whose
 * limits the usage does not exceed). The charge aggregates its meter with {@code MAX}. Immutable
 * and thread-safe.
 *
 * <p>A peak of zero bills nothing (Kill Bill bills 0 when every unit's amount is zero).
 *
 * <p>Example: up to 10 seats 100, up to 50 seats 400, above 1,000; a peak of 10 bills 100, a peak
 * of 10.5 bills 400, a peak of 51 bills 1,000.
 *
 * @param tiers the tiers, with increasing bounds, the last one open-ended
 */
public record CapacityPrice(List<CapacityTier> tiers) implements PriceModel {

  /**
   * Checks the tiers.
   *
   * @throws InvalidInputException if there is none, the bounds do not increase, or the last tier is
   *     bounded
   */
  public CapacityPrice {
    if (tiers == null || tiers.isEmpty()) {
      throw new InvalidInputException("tiers", "at least one tier is required");
    }
    tiers = List.copyOf(tiers);
    for (int i = 0; i < tiers.size() - 1; i++) {
      BigDecimal upTo = tiers.get(i).upTo();
      if (upTo == null) {
        throw new InvalidInputException(
            "tiers[" + i + "].up_to", "only the last tier is open-ended");
      }
      BigDecimal next = tiers.get(i + 1).upTo();
      if (next != null && next.compareTo(upTo) <= 0) {
        throw new InvalidInputException(
            "tiers[" + (i + 1) + "].up_to", "overlaps the tier before; bounds increase");
      }
    }
    int last = tiers.size() - 1;
    if (tiers.get(last).upTo() != null) {
      throw new InvalidInputException(
          "tiers[" + last + "].up_to", "the last tier is open-ended (up_to null)");
    }
  }

  /** Capacity tiers. */
  public static CapacityPrice of(CapacityTier... tiers) {
    return new CapacityPrice(List.of(tiers));
  }

  @Override
  public String type() {
    return "capacity";
  }

  @Override
  public Fee price(Usage usage) {
    BigDecimal peak = usage.quantity();
    if (peak.signum() == 0) {
      return new Fee(BigDecimal.ZERO, List.of());
    }
    int i = 0;
    while (tiers.get(i).upTo() != null && peak.compareTo(tiers.get(i).upTo()) > 0) {
      i++;
    }
    CapacityTier tier = tiers.get(i);
    String bound = tier.upTo() == null ? "above" : "up to " + tier.upTo().toPlainString();
    return Fee.of(
        tier.price(),
        new FeeStep(
            "capacity tier " + (i + 1) + " (peak " + bound + ")",
            peak,
            null,
            tier.price(),
            tier.price()));
  }
}
