package dev.tenantkit.billing.invoice;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Splits an amount among weights in whole minor units (largest remainder). Stateless. */
final class Shares {
  private Shares() {}

  /**
   * {@code total} split in proportion to {@code weights}, each share in whole minor units, the
   * shares adding up to {@code total} exactly: each gets the floor of its exact share, and the
   * minor units left go one each to the largest remainders (the first line on a tie).
   */
  static List<Money> allocate(Money total, List<Money> weights) {
    Money zero = Money.zero(total.currency());
    Money sum = weights.stream().reduce(zero, Money::plus);
    List<Money> shares = new ArrayList<>();
    if (sum.isZero() || total.isZero()) {
      weights.forEach(w -> shares.add(zero));
      return shares;
    }
    int scale = total.minorUnits();
    List<BigDecimal> remainders = new ArrayList<>();
    BigDecimal given = BigDecimal.ZERO;
    for (Money w : weights) {
      BigDecimal exact =
          total.amount().multiply(w.amount()).divide(sum.amount(), 20, RoundingMode.HALF_UP);
      BigDecimal floor = exact.setScale(scale, RoundingMode.FLOOR);
      shares.add(Money.of(floor, total.currency()));
      remainders.add(exact.subtract(floor));
      given = given.add(floor);
    }
    BigDecimal unit = BigDecimal.ONE.movePointLeft(scale);
    int left = total.amount().subtract(given).divide(unit, 0, RoundingMode.HALF_UP).intValueExact();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparing((Integer i) -> remainders.get(i)).reversed());
    for (int k = 0; k < left; k++) {
      int i = order.get(k % order.size());
      shares.set(i, shares.get(i).plus(Money.of(unit, total.currency())));
    }
    return shares;
  }
}
