package dev.tenantkit.metering.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Exact arithmetic helpers for quantities. */
public final class Quantities {
  /** The largest absolute quantity of one event. */
  public static final BigDecimal MAX_ABS = BigDecimal.TEN.pow(18);

  /** The most decimal places of one event's quantity. */
  public static final int MAX_SCALE = 6;

  private static final MathContext SKETCH_PRECISION = new MathContext(6, RoundingMode.HALF_EVEN);

  private Quantities() {}

  /**
   * The canonical form of a value: no trailing zeros and never a negative scale, so {@code 100},
   * {@code 100.00} and {@code 1E+2} all become {@code 100}. Stores hand back the same value in any
   * form; everything the core returns or hashes goes through here.
   */
  public static BigDecimal normalize(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    if (value.scale() == 0) {
      // Already an integer of scale 0, which is what stripping and rescaling would give back.
      return value;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /** A sketch's double estimate as a decimal of six significant digits. */
  public static BigDecimal fromSketch(double value) {
    return normalize(new BigDecimal(value).round(SKETCH_PRECISION));
  }
}
