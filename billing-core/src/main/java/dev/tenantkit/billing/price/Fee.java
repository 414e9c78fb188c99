package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link PriceModel} charges for a period's {@link Usage}: a precise amount (at most {@link
 * Money#PRECISE_SCALE} decimals, not yet rounded to the currency) and the steps that produced it.
 * Immutable.
 *
 * @param amount the precise amount, never negative
 * @param steps how the amount was reached, for the invoice
 */
public record Fee(BigDecimal amount, List<FeeStep> steps) {

  /** Rounds the amount to {@link Money#PRECISE_SCALE} decimals and copies the steps. */
  public Fee {
    amount = Money.precise(Objects.requireNonNull(amount, "amount"));
    steps = List.copyOf(steps);
  }

  /** A fee of this amount with one step. */
  public static Fee of(BigDecimal amount, FeeStep step) {
    return new Fee(amount, List.of(step));
  }
}
