package dev.tenantkit.billing.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Monthly and annual recurring revenue at an instant, per currency. Immutable.
 *
 * @param at the instant the subscriptions were read at
 * @param byCurrency MRR and ARR per currency, by currency code
 * @param trialing subscriptions left out because they were in their trial
 * @param paused subscriptions left out because they were paused
 */
public record RecurringRevenue(
    Instant at, List<CurrencyRecurring> byCurrency, int trialing, int paused) {
  /** Checks the components and copies the list. */
  public RecurringRevenue {
    Objects.requireNonNull(at, "at");
    byCurrency = List.copyOf(byCurrency);
  }
}
