package dev.tenantkit.billing.price;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PriceModel} prices: the period's aggregated quantity of one charge's meter and, for
 * models priced per transaction (percentage), each transaction's amount in the order they happened.
 * Immutable and thread-safe.
 *
 * @param quantity the aggregated quantity (after the charge's rounding and free units); never
 *     negative
 * @param transactions each transaction's amount, oldest first, or what the model's {@link
 *     TransactionAccumulator} made of them (for a {@link PercentagePrice}, running totals whose
 *     amounts were not kept: the list's size is the number of transactions, and reading an element
 *     throws {@link UnsupportedOperationException}); empty unless the model {@linkplain
 *     PriceModel#pricesTransactions() prices transactions}
 */
public record Usage(BigDecimal quantity, List<BigDecimal> transactions) {

  /** No usage. */
  public static final Usage NONE = new Usage(BigDecimal.ZERO, List.of());

  /**
   * Checks the components and copies the list (tallied totals are kept as they are).
   *
   * @throws InvalidInputException if the quantity is negative or a transaction is missing
   */
  public Usage {
    Objects.requireNonNull(quantity, "quantity");
    if (quantity.signum() < 0) {
      throw new InvalidInputException("quantity", "a billed quantity is not negative");
    }
    // Tallied totals are immutable and hold no amounts to copy.
    transactions =
        transactions instanceof PercentageTally.Totals ? transactions : List.copyOf(transactions);
  }

  /** Usage of this quantity with no transactions. */
  public static Usage of(BigDecimal quantity) {
    return new Usage(quantity, List.of());
  }

  /** Usage of this quantity with no transactions. */
  public static Usage of(long quantity) {
    return new Usage(BigDecimal.valueOf(quantity), List.of());
  }

  /** Transactions of these amounts; the quantity is their count. */
  public static Usage transactions(List<BigDecimal> amounts) {
    return new Usage(BigDecimal.valueOf(amounts.size()), amounts);
  }
}
