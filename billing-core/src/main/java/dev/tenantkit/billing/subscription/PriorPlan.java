package dev.tenantkit.billing.subscription;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;

/**
 * A plan version a subscription was on before its current one: from {@code since} until the next
 * entry of {@link Subscription#history()}, or the subscription's {@link Subscription#planSince()}
 * after the last. A billing run bills each part of a period on the version in force for it.
 * Immutable.
 *
 * @param since when this version took effect (the subscription's start for the first)
 * @param planId the plan
 * @param version the plan version
 */
public record PriorPlan(Instant since, String planId, int version) {
  /**
   * Checks the components.
   *
   * @throws InvalidInputException if one is missing or the version is below 1
   */
  public PriorPlan {
    if (since == null || planId == null || planId.isBlank()) {
      throw new InvalidInputException("history", "a prior plan has a start and a plan");
    }
    if (version < 1) {
      throw new InvalidInputException("history", "a plan version is 1 or more");
    }
  }
}
