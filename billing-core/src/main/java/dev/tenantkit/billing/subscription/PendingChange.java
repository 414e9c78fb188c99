package dev.tenantkit.billing.subscription;

import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;

/**
 * A plan change scheduled for later: a downgrade waits for the end of the period. Immutable.
 *
 * @param planId the plan to change to
 * @param planVersion its version
 * @param at when it takes effect (a period boundary)
 */
public record PendingChange(String planId, int planVersion, Instant at) {

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if a component is missing or the version is below 1
   */
  public PendingChange {
    if (planId == null || at == null || planVersion < 1) {
      throw new InvalidInputException("pending", "a plan, a version from 1 and an instant");
    }
  }
}
