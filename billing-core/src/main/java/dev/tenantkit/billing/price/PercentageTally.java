package dev.tenantkit.billing.price;

import java.math.BigDecimal;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;

/**
 * The running state of a {@link PercentagePrice} over transactions taken oldest first: how many
 * were free and how much of their amount, how many were charged and on what base, and how much the
 * per-transaction minimum raised and the maximum cut. Memory is constant in the number of
 * transactions. Pricing a list and pricing the same amounts streamed go through this one class, so
 * they agree to the last decimal. Not thread-safe.
 */
final class PercentageTally implements TransactionAccumulator {
  private final PercentagePrice price;
  private final BigDecimal fraction;
  private final boolean allowance;
  private long count;
  private long firstInvalid = -1;
  private BigDecimal running = BigDecimal.ZERO;
  private long free;
  private BigDecimal freeSum = BigDecimal.ZERO;
  private long charged;
  private BigDecimal base = BigDecimal.ZERO;
  private BigDecimal lifted = BigDecimal.ZERO;
  private BigDecimal cut = BigDecimal.ZERO;

  PercentageTally(PercentagePrice price) {
    this.price = price;
    this.fraction = price.rate().movePointLeft(2);
    this.allowance = price.freeTransactions() > 0 || price.freeAmount().signum() > 0;
  }

  /**
   * Takes one transaction, in the order of Lago's {@code percentage_service.rb} (see {@link
   * PercentagePrice}): the free allowance, the rate, the fixed fee, then the minimum or maximum.
   */
  @Override
  public void add(BigDecimal amount) {
    long i = count++;
    if (firstInvalid >= 0) {
      // The usage is refused when priced; nothing after the first invalid amount matters.
      return;
    }
    if (amount == null || amount.signum() < 0) {
      firstInvalid = i;
      return;
    }
    BigDecimal freeAmount = price.freeAmount();
    BigDecimal priced = amount;
    boolean inAllowance =
        allowance
            && (price.freeTransactions() == 0 || i < price.freeTransactions())
            && (freeAmount.signum() == 0 || running.compareTo(freeAmount) < 0);
    running = running.add(amount);
    if (inAllowance) {
      BigDecimal left = freeAmount.signum() == 0 ? null : freeAmount.subtract(running);
      if (left == null || left.signum() >= 0) {
        free++;
        freeSum = freeSum.add(amount);
        return;
      }
      priced = left.negate();
      freeSum = freeSum.add(amount.subtract(priced));
    }
    charged++;
    base = base.add(priced);
    BigDecimal fee = priced.multiply(fraction).add(price.fixedFee());
    BigDecimal min = price.minPerTransaction();
    BigDecimal max = price.maxPerTransaction();
    if (min != null && fee.compareTo(min) < 0) {
      lifted = lifted.add(min.subtract(fee));
    } else if (max != null && fee.compareTo(max) > 0) {
      cut = cut.add(fee.subtract(max));
    }
  }

  /** The totals so far, as the list a {@link Usage} carries. */
  @Override
  public List<BigDecimal> transactions() {
    return new Totals(price, count, firstInvalid, free, freeSum, charged, base, lifted, cut);
  }

  /**
   * The totals of a tally, carried by a {@link Usage} in place of the amounts: a list whose size is
   * the number of transactions and whose elements were not kept (reading one throws {@link
   * UnsupportedOperationException}). Only the price that tallied them prices them. Immutable.
   */
  static final class Totals extends AbstractList<BigDecimal> {
    final PercentagePrice price;
    final long count;
    final long firstInvalid;
    final long free;
    final BigDecimal freeSum;
    final long charged;
    final BigDecimal base;
    final BigDecimal lifted;
    final BigDecimal cut;

    Totals(
        PercentagePrice price,
        long count,
        long firstInvalid,
        long free,
        BigDecimal freeSum,
        long charged,
        BigDecimal base,
        BigDecimal lifted,
        BigDecimal cut) {
      this.price = price;
      this.count = count;
      this.firstInvalid = firstInvalid;
      this.free = free;
      this.freeSum = freeSum;
      this.charged = charged;
      this.base = base;
      this.lifted = lifted;
      this.cut = cut;
    }

    @Override
    public int size() {
      return (int) Math.min(count, Integer.MAX_VALUE);
    }

    @Override
    public BigDecimal get(int index) {
      throw new UnsupportedOperationException(
          "the "
              + count
              + " transactions were priced as they were read; their amounts are not kept");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Totals t
          && price.equals(t.price)
          && count == t.count
          && firstInvalid == t.firstInvalid
          && free == t.free
          && freeSum.compareTo(t.freeSum) == 0
          && charged == t.charged
          && base.compareTo(t.base) == 0
          && lifted.compareTo(t.lifted) == 0
          && cut.compareTo(t.cut) == 0;
    }

    @Override
    public int hashCode() {
      return Objects.hash(price, count, free, charged, base.stripTrailingZeros());
    }

    @Override
    public String toString() {
      return count
          + " transactions tallied ("
          + charged
          + " charged on "
          + base.toPlainString()
          + ")";
    }
  }
}
