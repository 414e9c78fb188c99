package dev.tenantkit.metering.quota.spi;

import java.util.Objects;

/**
 * One conditional change in an all-or-none batch given to {@link QuotaStore#tryApplyAll}. Each has
 * the same meaning as the single-operation method of the same name. Immutable.
 */
public sealed interface QuotaOperation permits QuotaOperation.TryAdd, QuotaOperation.TryTake {

  /** The limit this operation changes. */
  String limit();

  /**
   * {@link QuotaStore#tryAdd}: add {@code amount} to the counter {@code (limit, periodStart)} if
   * the result stays at or below {@code ceiling}.
   *
   * @param limit the limit name
   * @param periodStart the period's start in epoch milliseconds, 0 for a gauge
   * @param amount what to add, non-negative
   * @param ceiling the largest value the counter may reach, non-negative
   */
  record TryAdd(String limit, long periodStart, long amount, long ceiling)
      implements QuotaOperation {
    /** Checks the components. */
    public TryAdd {
      Objects.requireNonNull(limit, "limit");
      if (amount < 0 || ceiling < 0) {
        throw new IllegalArgumentException("amount and ceiling are non-negative");
      }
    }
  }

  /**
   * {@link QuotaStore#tryTake}: take {@code cost} from the bucket of {@code limit} if it stays
   * within {@code burst}.
   *
   * @param limit the limit name
   * @param nowNanos the current time in epoch nanoseconds
   * @param cost the tokens' worth in nanoseconds, non-negative
   * @param burst the bucket's capacity in nanoseconds, at least {@code cost}
   */
  record TryTake(String limit, long nowNanos, long cost, long burst) implements QuotaOperation {
    /** Checks the components. */
    public TryTake {
      Objects.requireNonNull(limit, "limit");
      if (cost < 0 || burst < cost) {
        throw new IllegalArgumentException("need 0 <= cost <= burst");
      }
    }
  }
}
