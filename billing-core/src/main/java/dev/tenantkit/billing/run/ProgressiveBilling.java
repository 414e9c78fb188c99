package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Progressive (threshold) billing, as Lago's: an invoice is issued mid-period when a subscription's
 * lifetime usage amount (before tax, across all its periods) reaches a threshold. The thresholds
 * are steps in increasing order (Lago's example: 5, 20, 50, 100, 1,000) and, optionally, a
 * recurring amount that adds a threshold every {@code recurring} after the last step. Pure;
 * stateless and thread-safe.
 *
 * <p>The invoice it triggers ({@link PeriodBiller#progressive}) bills the period's usage so far
 * less what earlier progressive invoices of the period billed, and the period's end invoice bills
 * the rest, so the period's usage is billed once in all.
 */
public final class ProgressiveBilling {
  private ProgressiveBilling() {}

  /**
   * A subscription's thresholds.
   *
   * @param steps the step thresholds, strictly increasing, positive
   * @param recurring the amount between thresholds after the last step, or {@code null}
   */
  public record Thresholds(List<Money> steps, Money recurring) {
    /**
     * Checks the thresholds.
     *
     * @throws InvalidInputException if there is no threshold at all, a step is not positive or not
     *     above the one before, the recurring amount is not positive, or currencies differ
     */
    public Thresholds {
      steps = List.copyOf(steps);
      if (steps.isEmpty() && recurring == null) {
        throw new InvalidInputException("thresholds", "at least one threshold is required");
      }
      Currency currency = steps.isEmpty() ? recurring.currency() : steps.get(0).currency();
      Money previous = null;
      for (Money step : steps) {
        if (!step.currency().equals(currency) || step.amount().signum() <= 0) {
          throw new InvalidInputException(
              "thresholds", "a threshold is a positive amount in " + currency);
        }
        if (previous != null && step.compareTo(previous) <= 0) {
          throw new InvalidInputException("thresholds", "step thresholds increase");
        }
        previous = step;
      }
      if (recurring != null
          && (!recurring.currency().equals(currency) || recurring.amount().signum() <= 0)) {
        throw new InvalidInputException(
            "recurring", "a recurring threshold is a positive amount in " + currency);
      }
    }
  }

  /**
   * Whether the lifetime usage amount reached a threshold not yet invoiced, and which: the highest
   * threshold {@code t} with {@code billedSoFar < t <= lifetimeAmount} (several reached at once
   * make one invoice, for the highest). Empty when none was reached.
   *
   * @param thresholds the subscription's thresholds
   * @param billedSoFar the lifetime usage amount when the last threshold invoice was triggered
   *     (zero before the first)
   * @param lifetimeAmount the lifetime usage amount now
   * @throws InvalidInputException if the currencies differ
   */
  public static Optional<Money> due(
      Thresholds thresholds, Money billedSoFar, Money lifetimeAmount) {
    Currency currency =
        thresholds.steps().isEmpty()
            ? thresholds.recurring().currency()
            : thresholds.steps().get(0).currency();
    if (!billedSoFar.currency().equals(currency) || !lifetimeAmount.currency().equals(currency)) {
      throw new InvalidInputException("currency", "thresholds and amounts are in " + currency);
    }
    Money reached = null;
    List<Money> candidates = new ArrayList<>(thresholds.steps());
    Money last =
        candidates.isEmpty() ? Money.zero(currency) : candidates.get(candidates.size() - 1);
    if (thresholds.recurring() != null && lifetimeAmount.compareTo(last) > 0) {
      // The highest recurring threshold at or below the amount: last + k x recurring.
      BigDecimal k =
          lifetimeAmount
              .amount()
              .subtract(last.amount())
              .divide(thresholds.recurring().amount(), 0, RoundingMode.FLOOR);
      if (k.signum() > 0) {
        candidates.add(last.plus(thresholds.recurring().times(k)));
      }
    }
    for (Money t : candidates) {
      if (t.compareTo(billedSoFar) > 0 && t.compareTo(lifetimeAmount) <= 0) {
        reached = t;
      }
    }
    return Optional.ofNullable(reached);
  }
}
