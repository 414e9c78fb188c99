package dev.tenantkit.billing.plan;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One charge of a plan's prices: a {@link Charge} and how the meter's quantity is brought to the
 * charge's unit, and, for an overage charge, the quota limit above which usage is billed. Immutable
 * and thread-safe.
 *
 * <p>Example: Starter's storage overage is {@code overage(Charge.usage("storage_overage",
 * "storage_bytes", MAX, new StandardPrice(10)), "storage_bytes").withUnit(GIB)}: a peak of 12 GiB
 * against the 10 GiB limit is 2 units of 1 GiB, 20 USD.
 *
 * @param charge the charge that prices the quantity
 * @param limit the quota limit (in the plan's limits) above which usage is billed, or {@code null}
 *     when the charge bills all usage; only a usage charge can be an overage charge
 * @param unit how many of the meter's units make one priced unit: 1 (per file), 1,000 (per thousand
 *     API calls), 1,073,741,824 (per GiB of bytes); positive
 */
public record PlanCharge(Charge charge, String limit, BigDecimal unit) {

  /** 2^30: one GiB in bytes, the unit of the default storage charges. */
  public static final BigDecimal GIB = BigDecimal.valueOf(1L << 30);

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the charge is missing, an overage charge has no meter, or the
   *     unit is not positive
   */
  public PlanCharge {
    if (charge == null) {
      throw new InvalidInputException("charge", "is required");
    }
    if (limit != null && charge.isFlat()) {
      throw new InvalidInputException(
          "limit", "charge '" + charge.code() + "': an overage charge prices a meter's usage");
    }
    if (unit == null || unit.signum() <= 0) {
      throw new InvalidInputException(
          "unit", "charge '" + charge.code() + "': a unit is a positive number of meter units");
    }
    unit = Money.precise(unit);
  }

  /** A charge that bills all of its meter's usage (or a flat fee), one meter unit per unit. */
  public static PlanCharge of(Charge charge) {
    return new PlanCharge(charge, null, BigDecimal.ONE);
  }

  /**
   * A charge that bills the usage above the plan's limit {@code limit}, one meter unit per unit.
   *
   * @throws InvalidInputException if the charge is a flat fee
   */
  public static PlanCharge overage(Charge charge, String limit) {
    Objects.requireNonNull(limit, "limit");
    return new PlanCharge(charge, limit, BigDecimal.ONE);
  }

  /**
   * This charge with another unit.
   *
   * @throws InvalidInputException if the unit is not positive
   */
  public PlanCharge withUnit(BigDecimal meterUnitsPerUnit) {
    return new PlanCharge(charge, limit, meterUnitsPerUnit);
  }

  /** The charge's code. */
  public String code() {
    return charge.code();
  }

  /** Whether this charge bills only the usage above a quota limit. */
  public boolean isOverage() {
    return limit != null;
  }

  /**
   * The quantity to price, in this charge's unit: the aggregated quantity (for an overage charge,
   * only the part above the limit, never below zero) divided by the unit, kept to {@link
   * Money#PRECISE_SCALE} decimals half-up. The charge's own rounding and free units apply after.
   *
   * @param aggregated the period's aggregated quantity of the charge's meter, in meter units
   * @param spec the plan's limit named by {@link #limit()}; ignored (may be null) otherwise
   * @throws InvalidInputException if this is an overage charge and {@code spec} is missing
   */
  public BigDecimal quantity(BigDecimal aggregated, LimitSpec spec) {
    Objects.requireNonNull(aggregated, "aggregated");
    BigDecimal q = aggregated;
    if (isOverage()) {
      if (spec == null) {
        throw new InvalidInputException("limit", "charge '" + code() + "' needs limit " + limit);
      }
      q =
          spec.isUnlimited()
              ? BigDecimal.ZERO
              : aggregated.subtract(BigDecimal.valueOf(spec.limit())).max(BigDecimal.ZERO);
    }
    return Money.precise(q.divide(unit, Money.PRECISE_SCALE, RoundingMode.HALF_UP));
  }
}
