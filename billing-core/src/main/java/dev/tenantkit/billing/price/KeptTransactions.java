package dev.tenantkit.billing.price;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The default {@link TransactionAccumulator}: keeps every amount, for a model that prices the list
 * itself. Amounts that are missing are kept as they are, for the model to refuse. Not thread-safe.
 */
final class KeptTransactions implements TransactionAccumulator {
  private final List<BigDecimal> amounts = new ArrayList<>();

  @Override
  public void add(BigDecimal amount) {
    amounts.add(amount);
  }

  @Override
  public List<BigDecimal> transactions() {
    return Collections.unmodifiableList(new ArrayList<>(amounts));
  }
}
