package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.Money;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of a cancellation: when the subscription ends, the credits for the unused days of fees
 * paid in advance (none at the period end), and the subscription after it. Immutable.
 *
 * @param timing at the period end or now
 * @param endsAt when the subscription ends
 * @param credits one credit line per prorated flat fee paid in advance
 * @param creditTotal the sum of the credits' rounded amounts
 * @param subscription the subscription after the cancellation
 */
public record Cancellation(
    CancelTiming timing,
    Instant endsAt,
    List<ProrationLine> credits,
    Money creditTotal,
    Subscription subscription) {

  /** Checks that every component is present and copies the list. */
  public Cancellation {
    Objects.requireNonNull(timing, "timing");
    Objects.requireNonNull(endsAt, "endsAt");
    credits = List.copyOf(credits);
    Objects.requireNonNull(creditTotal, "creditTotal");
    Objects.requireNonNull(subscription, "subscription");
  }
}
