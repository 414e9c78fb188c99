package dev.tenantkit.billing.price;

import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * How a charge rounds its aggregated quantity before pricing: to a number of decimals that may be
 * negative (123.4567 at precision 2 is 123.46 by {@link Mode#ROUND}; at -1 it is 120). Immutable.
 *
 * @param mode round half-up, ceiling or floor
 * @param precision the decimals kept; negative rounds to tens, hundreds, ...; from -18 to 12
 */
public record QuantityRounding(Mode mode, int precision) {

  /** Leaves the quantity as it is. */
  public static final QuantityRounding NONE = new QuantityRounding(Mode.NONE, 0);

  /** How to round. */
  public enum Mode {
    /** No rounding. */
    NONE,
    /** Half-up (0.5 goes away from zero). */
    ROUND,
    /** Toward positive infinity. */
    CEIL,
    /** Toward negative infinity. */
    FLOOR
  }

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the mode is missing or the precision out of range
   */
  public QuantityRounding {
    if (mode == null) {
      throw new InvalidInputException("rounding", "a rounding mode is required");
    }
    if (precision < -18 || precision > 12) {
      throw new InvalidInputException("rounding", "precision is from -18 to 12, got " + precision);
    }
  }

  /** Rounds the quantity; the result has no negative scale ({@code 120}, not {@code 1.2E+2}). */
  public BigDecimal apply(BigDecimal quantity) {
    Objects.requireNonNull(quantity, "quantity");
    RoundingMode rm =
        switch (mode) {
          case NONE -> null;
          case ROUND -> RoundingMode.HALF_UP;
          case CEIL -> RoundingMode.CEILING;
          case FLOOR -> RoundingMode.FLOOR;
        };
    if (rm == null) {
      return quantity;
    }
    BigDecimal r = quantity.setScale(precision, rm);
    return r.scale() < 0 ? r.setScale(0) : r;
  }
}
