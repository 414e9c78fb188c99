package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;

/** Checks and helpers shared by the tiered models. Internal to the package. */
final class Tiers {
  private Tiers() {}

  /** A tier's bounds: the quantities above {@link #from()} up to and including {@link #upTo()}. */
  interface Bounded {
    /** The quantity the tier starts after. */
    BigDecimal from();

    /** The last quantity of the tier, {@code null} when open-ended. */
    BigDecimal upTo();
  }

  /**
   * Checks that the tiers start at 0, follow each other without gap or overlap, and end with one
   * open-ended tier, so that every quantity falls in exactly one tier.
   *
   * @throws InvalidInputException naming {@code tiers[i].from} or {@code tiers[i].up_to}
   */
  static <T extends Bounded> List<T> contiguous(List<T> tiers) {
    if (tiers == null || tiers.isEmpty()) {
      throw new InvalidInputException("tiers", "at least one tier is required");
    }
    List<T> copy = List.copyOf(tiers);
    if (copy.get(0).from().signum() != 0) {
      throw new InvalidInputException("tiers[0].from", "the first tier starts at 0");
    }
    for (int i = 1; i < copy.size(); i++) {
      BigDecimal previousEnd = copy.get(i - 1).upTo();
      if (previousEnd == null) {
        throw new InvalidInputException(
            "tiers[" + (i - 1) + "].up_to", "only the last tier is open-ended");
      }
      int c = copy.get(i).from().compareTo(previousEnd);
      if (c != 0) {
        throw new InvalidInputException(
            "tiers[" + i + "].from",
            (c < 0 ? "overlaps" : "leaves a gap after")
                + " the tier before, which ends at "
                + previousEnd.toPlainString()
                + "; a tier starts where the one before ends (bounds are continuous: from "
                + previousEnd.toPlainString()
                + " holds every quantity above it)");
      }
    }
    int last = copy.size() - 1;
    if (copy.get(last).upTo() != null) {
      throw new InvalidInputException(
          "tiers[" + last + "].up_to", "the last tier is open-ended (up_to null)");
    }
    return copy;
  }

  /** The index of the tier holding {@code quantity} (above from, up to and including up_to). */
  static int indexOf(List<? extends Bounded> tiers, BigDecimal quantity) {
    for (int i = 0; i < tiers.size(); i++) {
      BigDecimal upTo = tiers.get(i).upTo();
      if (upTo == null || quantity.compareTo(upTo) <= 0) {
        return i;
      }
    }
    return tiers.size() - 1;
  }

  /** The units of {@code quantity} inside the tier; zero when the quantity does not reach it. */
  static BigDecimal unitsIn(Bounded tier, BigDecimal quantity) {
    if (quantity.compareTo(tier.from()) <= 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal end = tier.upTo() == null ? quantity : quantity.min(tier.upTo());
    return end.subtract(tier.from());
  }

  /** {@code "tier 2 (100 to 1000)"}, numbered from 1. */
  static String label(int index, Bounded tier) {
    return "tier "
        + (index + 1)
        + " ("
        + tier.from().toPlainString()
        + " to "
        + (tier.upTo() == null ? "∞" : tier.upTo().toPlainString())
        + ")";
  }

  static BigDecimal bound(String field, BigDecimal value) {
    if (value == null || value.signum() < 0) {
      throw new InvalidInputException(field, "is zero or more");
    }
    return Money.precise(value);
  }

  static BigDecimal nonNegative(String field, BigDecimal value) {
    if (value == null || value.signum() < 0) {
      throw new InvalidInputException(field, "a price is zero or more");
    }
    return Money.precise(value);
  }

  static BigDecimal percent(String field, BigDecimal value) {
    if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(100)) > 0) {
      throw new InvalidInputException(field, "a percentage is from 0 to 100");
    }
    return Money.precise(value);
  }

  /** {@code null} for {@code null}, else the decimal (for the string factories of the tiers). */
  static BigDecimal decimal(String text) {
    return text == null ? null : new BigDecimal(text);
  }
}
