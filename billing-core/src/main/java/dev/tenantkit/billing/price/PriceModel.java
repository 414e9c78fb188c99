package dev.tenantkit.billing.price;

/**
 * How one charge turns a period's {@link Usage} into a {@link Fee}: per unit, graduated or volume
 * tiers, packages, percentages, and the others in this package. A pure function: no I/O, no clock.
 * Implementations are immutable and thread-safe and validate their configuration when built (a
 * negative price, gapped tiers or a package of zero units throw {@link
 * dev.tenantkit.tenancy.InvalidInputException}).
 *
 * <p>Amounts are in the charge's currency and precise; rounding to the currency's minor unit
 * happens once per invoice line, not here.
 */
public interface PriceModel {

  /** The model's name in a catalog file, such as {@code "standard"} or {@code "graduated"}. */
  String type();

  /**
   * Prices one period's usage.
   *
   * @param usage the aggregated quantity (and transactions, for models that price them)
   * @return the precise fee with its steps
   */
  Fee price(Usage usage);

  /**
   * Whether the model prices each transaction's amount (percentage models) rather than only the
   * aggregated quantity; if so, {@link Usage#transactions()} must be filled.
   */
  default boolean pricesTransactions() {
    return false;
  }

  /**
   * A new accumulator of the transactions this model prices, which the usage reader feeds while it
   * streams a period's events. The default keeps every amount (memory grows with the number of
   * transactions); a model that can price running totals returns one that keeps only those, as
   * {@link PercentagePrice} does. Only called when {@link #pricesTransactions()}.
   */
  default TransactionAccumulator transactionAccumulator() {
    return new KeptTransactions();
  }
}
