package dev.tenantkit.metering.quota.spi;

import java.util.Objects;

/**
 * One conditional change in an all-or-none batch given to {@link QuotaStore#tryApplyAll}. Each has
 * the same meaning as the {@link QuotaCell} method of the same name. Immutable.
 */
public sealed interface QuotaOperation permits QuotaOperation.TryAdd, QuotaOperation.TryTake {

  /** The limit this operation changes. */
  String limit();

  /** The override the operation's bounds were computed from. */
  long expectedOverride();

  /**
   * {@link QuotaCell#tryAdd}: add {@code amount} to the counter {@code (limit, periodStart)} if the
   * result stays at or below {@code ceiling} and the override is {@code expectedOverride}.
   *
   * @param limit the limit name
   * @param periodStart the period's start in epoch milliseconds, 0 for a gauge
   * @param amount what to add, non-negative
   * @param ceiling the largest value the counter may reach, from 0 to {@link QuotaStore#NO_CEILING}
   * @param expectedOverride the override the ceiling was computed from
   */
  record TryAdd(String limit, long periodStart, long amount, long ceiling, long expectedOverride)
      implements QuotaOperation {
    /** Checks the components. */
    public TryAdd {
      Objects.requireNonNull(limit, "limit");
      if (amount < 0 || ceiling < 0 || ceiling > QuotaStore.NO_CEILING) {
        throw new IllegalArgumentException(
            "amount is non-negative and ceiling from 0 to QuotaStore.NO_CEILING");
      }
    }
  }

  /**
   * {@link QuotaCell#tryTake}: take {@code cost} from the bucket of {@code limit} if it stays
   * within {@code burst} and the override is {@code expectedOverride}.
   *
   * @param limit the limit name
   * @param nowNanos the current time in epoch nanoseconds
   * @param cost the tokens' worth in nanoseconds, non-negative
   * @param burst the bucket's capacity in nanoseconds, at least {@code cost}
   * @param expectedOverride the override the cost and burst were computed from
   */
  record TryTake(String limit, long nowNanos, long cost, long burst, long expectedOverride)
      implements QuotaOperation {
    /** Checks the components. */
    public TryTake {
      Objects.requireNonNull(limit, "limit");
      if (cost < 0 || burst < cost) {
        throw new IllegalArgumentException("need 0 <= cost <= burst");
      }
    }
  }
}
