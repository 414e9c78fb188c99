package dev.tenantkit.billing.report;

import dev.tenantkit.billing.Money;
import java.util.Objects;

/**
 * The recurring revenue of one currency. Immutable.
 *
 * @param mrr the monthly recurring revenue, rounded half-up once to the currency's minor unit from
 *     the precise sum of the subscriptions' monthly fees
 * @param arr twelve times the precise MRR, rounded once
 * @param subscriptions the subscriptions counted
 */
public record CurrencyRecurring(Money mrr, Money arr, int subscriptions) {
  /** Checks the components. */
  public CurrencyRecurring {
    Objects.requireNonNull(mrr, "mrr");
    Objects.requireNonNull(arr, "arr");
  }
}
