package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A percentage of each transaction's amount, with an optional fixed fee per transaction, free
 * transactions and a free amount, and a minimum and maximum per transaction (Lago's percentage
 * model). Prices {@link Usage#transactions()}, oldest first: the amounts, or their running totals
 * tallied by {@link #transactionAccumulator()} while the usage reader streamed them (constant
 * memory; the same fee to the last decimal). Immutable and thread-safe.
 *
 * <p>Each transaction, in order: (1) the free allowance: while the first {@code freeTransactions}
 * transactions and the first {@code freeAmount} of the running total both last (whichever is set;
 * the allowance ends when the first of them runs out), a transaction is free; the one that crosses
 * the free amount pays on the part above it; (2) the rate on what is left; (3) plus the fixed fee;
 * (4) that fee raised to the minimum or cut to the maximum. Free transactions bill nothing, not
 * even the minimum. This is the order of Lago's {@code percentage_service.rb}; its page's example
 * shows that the allowance ends with the first limit reached.
 *
 * <p>Example (Lago's percentage page): 1.2% plus 0.10 per transaction, the first 3 transactions or
 * 500 free; transactions of 200, 100, 100 and 50 bill 0, 0, 0 and 0.10 + 1.2% x 50 = 0.70. Example
 * (Lago's per-transaction minimum and maximum): 1% plus 0.50, minimum 1, maximum 5; a transaction
 * of 20 bills 1 (0.70 raised), one of 600 bills 5 (6.50 cut).
 *
 * @param rate the percentage of the amount, 0 to 100
 * @param fixedFee the fee per charged transaction, zero or more ({@code null} reads as zero)
 * @param freeTransactions the first transactions that are free, zero or more
 * @param freeAmount the first amount of the running total that is free, zero or more ({@code null}
 *     reads as zero)
 * @param minPerTransaction the least a charged transaction bills, or {@code null}
 * @param maxPerTransaction the most a charged transaction bills, or {@code null}
 */
public record PercentagePrice(
    BigDecimal rate,
    BigDecimal fixedFee,
    int freeTransactions,
    BigDecimal freeAmount,
    BigDecimal minPerTransaction,
    BigDecimal maxPerTransaction)
    implements PriceModel {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the rate is outside 0 to 100, a value is negative, or the
   *     minimum is above the maximum
   */
  public PercentagePrice {
    rate = Tiers.percent("rate", rate);
    fixedFee = fixedFee == null ? BigDecimal.ZERO : Tiers.nonNegative("fixed_fee", fixedFee);
    if (freeTransactions < 0) {
      throw new InvalidInputException("free_transactions", "is zero or more");
    }
    freeAmount = freeAmount == null ? BigDecimal.ZERO : Tiers.bound("free_amount", freeAmount);
    if (minPerTransaction != null) {
      minPerTransaction = Tiers.nonNegative("min_per_transaction", minPerTransaction);
    }
    if (maxPerTransaction != null) {
      maxPerTransaction = Tiers.nonNegative("max_per_transaction", maxPerTransaction);
    }
    if (minPerTransaction != null
        && maxPerTransaction != null
        && minPerTransaction.compareTo(maxPerTransaction) > 0) {
      throw new InvalidInputException(
          "min_per_transaction", "the minimum per transaction is at most the maximum");
    }
  }

  /** A plain rate with no fixed fee, allowance or limits. */
  public static PercentagePrice of(String rate) {
    return new PercentagePrice(new BigDecimal(rate), null, 0, null, null, null);
  }

  @Override
  public String type() {
    return "percentage";
  }

  @Override
  public boolean pricesTransactions() {
    return true;
  }

  /**
   * An accumulator that keeps running totals only ({@link TransactionAccumulator}): the usage
   * reader streams the period's transactions through it, and this price prices its totals exactly
   * as it would price the list of their amounts.
   */
  @Override
  public TransactionAccumulator transactionAccumulator() {
    return new PercentageTally(this);
  }

  /**
   * Prices the transactions: a list of amounts, oldest first, or the totals this price's {@link
   * #transactionAccumulator()} tallied while they streamed.
   *
   * @throws InvalidInputException if the usage has a quantity but no transactions, or a transaction
   *     amount is negative (field {@code transactions[i]}, {@code i} counted from 0)
   * @throws IllegalArgumentException if the transactions were tallied by another price
   */
  @Override
  public Fee price(Usage usage) {
    PercentageTally.Totals totals;
    if (usage.transactions() instanceof PercentageTally.Totals t) {
      if (!t.price.equals(this)) {
        throw new IllegalArgumentException(
            "the transactions were tallied for another price (" + t.price + "), not " + this);
      }
      totals = t;
    } else {
      PercentageTally tally = new PercentageTally(this);
      usage.transactions().forEach(tally::add);
      totals = (PercentageTally.Totals) tally.transactions();
    }
    if (totals.count == 0 && usage.quantity().signum() != 0) {
      throw new InvalidInputException(
          "transactions", "a percentage prices each transaction; the usage has none");
    }
    if (totals.firstInvalid >= 0) {
      throw new InvalidInputException(
          "transactions[" + totals.firstInvalid + "]", "a transaction amount is zero or more");
    }
    return fee(totals.free, totals.freeSum, totals.charged, totals.base, totals.lifted, totals.cut);
  }

  private Fee fee(
      long free,
      BigDecimal freeSum,
      long charged,
      BigDecimal base,
      BigDecimal lifted,
      BigDecimal cut) {
    List<FeeStep> steps = new ArrayList<>();
    if (free > 0 || freeSum.signum() > 0) {
      steps.add(
          new FeeStep(
              "free: " + free + " transactions, " + freeSum.toPlainString() + " of amount",
              BigDecimal.valueOf(free),
              null,
              BigDecimal.ZERO,
              BigDecimal.ZERO));
    }
    BigDecimal percentage = Money.precise(base.multiply(rate.movePointLeft(2)));
    steps.add(
        new FeeStep(
            rate.toPlainString() + "% of the amount", base, rate, BigDecimal.ZERO, percentage));
    BigDecimal total = percentage;
    if (fixedFee.signum() > 0) {
      BigDecimal fixed = fixedFee.multiply(BigDecimal.valueOf(charged));
      steps.add(
          new FeeStep(
              "fixed fee per transaction",
              BigDecimal.valueOf(charged),
              fixedFee,
              BigDecimal.ZERO,
              fixed));
      total = total.add(fixed);
    }
    if (lifted.signum() > 0) {
      steps.add(
          new FeeStep(
              "raised to the minimum per transaction",
              BigDecimal.ZERO,
              minPerTransaction,
              BigDecimal.ZERO,
              Money.precise(lifted)));
      total = total.add(lifted);
    }
    if (cut.signum() > 0) {
      steps.add(
          new FeeStep(
              "cut to the maximum per transaction",
              BigDecimal.ZERO,
              maxPerTransaction,
              BigDecimal.ZERO,
              Money.precise(cut.negate())));
      total = total.subtract(cut);
    }
    return new Fee(total, steps);
  }
}
