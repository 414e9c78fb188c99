package dev.tenantkit.billing.run;

import dev.tenantkit.billing.plan.PlanVersion;
import java.time.Instant;
import java.util.Objects;

/**
 * A plan version a subscription was on before its current one, from {@code since} until the next
 * term (or the current plan's {@link dev.tenantkit.billing.subscription.Subscription#planSince()}).
 * Immutable.
 *
 * @param version the plan version
 * @param since when it took effect (the subscription's start for the first term)
 */
public record PlanTerm(PlanVersion version, Instant since) {
  /** Checks both components are present. */
  public PlanTerm {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(since, "since");
  }
}
