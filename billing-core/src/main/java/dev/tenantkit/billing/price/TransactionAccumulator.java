package dev.tenantkit.billing.price;

import java.math.BigDecimal;
import java.util.List;

/**
 * Takes a period's transactions one at a time, oldest first, as they are read, and gives what
 * {@link Usage#transactions()} carries to the {@link PriceModel} that made it. A model priced per
 * transaction returns one from {@link PriceModel#transactionAccumulator()}; the usage reader feeds
 * it each event's amount while it streams the period's events, so that pricing needs no list of
 * every transaction.
 *
 * <p>{@link PercentagePrice}'s accumulator keeps only running totals (constant memory, whatever the
 * number of transactions), and the list it gives holds those totals, not the amounts: only that
 * price can price it. The default accumulator of other models keeps every amount. Not thread-safe:
 * one accumulator per read.
 */
public interface TransactionAccumulator {

  /**
   * Takes the next transaction's amount. An invalid amount (missing or negative) is not thrown
   * here: the model refuses the usage when it prices it, naming the transaction, as it would refuse
   * a list holding that amount.
   */
  void add(BigDecimal amount);

  /** What the usage carries for the model: the amounts taken so far, or their running totals. */
  List<BigDecimal> transactions();
}
