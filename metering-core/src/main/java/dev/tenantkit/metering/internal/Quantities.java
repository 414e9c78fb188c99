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

  /**
   * The most significant digits a quantity may be given with, trailing zeros included: a quantity
   * within the bounds has at most 25 (18 before the point, 6 after it), and this leaves room for
   * trailing zeros such as {@code 2.000}.
   */
  static final int MAX_PRECISION = 40;

  /** The largest power of ten below which every accepted quantity lies: {@link #MAX_ABS}. */
  private static final int MAX_EXPONENT = 18;

  private static final MathContext SKETCH_PRECISION = new MathContext(6, RoundingMode.HALF_EVEN);

  private Quantities() {}

  /**
   * Why {@code value} cannot be a quantity, judged from its precision and exponent alone, or {@code
   * null} if it may be one (the exact bounds are checked on the normalised value). Takes no time
   * that grows with the exponent, so it runs before {@link #normalize}: normalising {@code
   * 1E+100000000} rescales it to a hundred million digits, minutes of CPU. Past this check,
   * normalising costs at most {@value #MAX_PRECISION} digit steps and a rescaling by at most 10^18.
   */
  static String boundProblem(BigDecimal value) {
    if (value.signum() == 0) {
      // A zero of any exponent normalises to 0 at once.
      return null;
    }
    int precision = value.precision();
    // The exponent of the leading digit: value lies in [10^e, 10^(e+1)); a long, as scale may be
    // Integer.MIN_VALUE.
    long exponent = (long) precision - value.scale() - 1;
    if (exponent > MAX_EXPONENT) {
      return "quantity is larger than 10^18 in absolute value";
    }
    if (precision > MAX_PRECISION) {
      return "quantity has more than " + MAX_PRECISION + " significant digits";
    }
    return null;
  }

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
