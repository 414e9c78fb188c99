package dev.tenantkit.billing.price;

import dev.tenantkit.billing.Money;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One priced line of a plan version: a flat recurring fee (no meter) or the usage of a meter,
 * aggregated one way and priced by a {@link PriceModel}, with the charge-level adjustments.
 * Immutable and thread-safe; build with {@link #flat} or {@link #usage} and the {@code with...}
 * methods.
 *
 * <p>{@link #price} applies, in this order: the quantity {@link QuantityRounding}; the free units
 * (a usage discount); the price model; for a prorated flat fee, the period fraction; the percentage
 * discount; and last the spending minimum, prorated by the period fraction, as a true-up. As in
 * Lago (https://docs.getlago.com/guide/plans/charges/spending-minimum), a spending minimum is per
 * charge, only on usage charges (billed in arrears), and "always prorated based on the number of
 * days used in the subscription".
 *
 * <p>Example: 1,250 API calls, rounded up to the hundred (1,300), 300 free, at 0.01 each (10.00),
 * 10% off (9.00), minimum 20 for a full period: billed for half a period, the minimum is 10 and the
 * true-up 1.00, so the charge bills 10.00.
 *
 * @param code the charge's id within its plan version, {@code [a-z][a-z0-9_.-]{0,63}}
 * @param meter the meter whose usage is priced, or {@code null} for a flat recurring fee
 * @param aggregation how the meter's events combine for the period; {@code null} for a flat fee
 * @param model the price model
 * @param rounding how the aggregated quantity is rounded before pricing
 * @param timing in advance (flat fees only) or in arrears
 * @param freeUnits units given free before pricing, zero or more (quantity-priced models only)
 * @param discountPercent a percentage taken off the charge, 0 to 100
 * @param minimum the spending minimum for a full period, zero when none; usage charges only
 * @param prorated whether a flat fee is prorated for a partial period
 */
public record Charge(
    String code,
    String meter,
    Aggregation aggregation,
    PriceModel model,
    QuantityRounding rounding,
    ChargeTiming timing,
    BigDecimal freeUnits,
    BigDecimal discountPercent,
    BigDecimal minimum,
    boolean prorated) {

  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  /**
   * Checks the components.
   *
   * @throws InvalidInputException naming the field that breaks a rule (also: a minimum on a flat
   *     fee, a capacity price not aggregated by {@code MAX}, a dynamic or graduated percentage
   *     price not aggregated by {@code SUM})
   */
  public Charge {
    if (code == null || !CODE.matcher(code).matches()) {
      throw new InvalidInputException("code", "a charge code is [a-z][a-z0-9_.-]{0,63}");
    }
    if (model == null) {
      throw new InvalidInputException("model", "charge '" + code + "' has no price model");
    }
    if ((meter == null) != (aggregation == null)) {
      throw new InvalidInputException(
          "aggregation", "charge '" + code + "' names a meter and its aggregation, or neither");
    }
    Objects.requireNonNull(rounding, "rounding");
    Objects.requireNonNull(timing, "timing");
    if (timing == ChargeTiming.ADVANCE && meter != null) {
      throw new InvalidInputException(
          "timing", "charge '" + code + "': only a flat fee is billed in advance");
    }
    freeUnits = nonNegative(code, "free_units", freeUnits);
    discountPercent = nonNegative(code, "discount_percent", discountPercent);
    if (discountPercent.compareTo(HUNDRED) > 0) {
      throw new InvalidInputException(
          "discount_percent", "charge '" + code + "': a discount is at most 100 percent");
    }
    if (freeUnits.signum() > 0 && model.pricesTransactions()) {
      throw new InvalidInputException(
          "free_units",
          "charge '" + code + "': a model priced per transaction has its own free transactions");
    }
    minimum = nonNegative(code, "minimum", minimum);
    if (minimum.signum() > 0 && meter == null) {
      throw new InvalidInputException(
          "minimum",
          "charge '" + code + "': a spending minimum is for a usage charge billed in arrears");
    }
    Aggregation required = requiredAggregation(model);
    if (required != null && aggregation != null && aggregation != required) {
      throw new InvalidInputException(
          "aggregation",
          "charge '"
              + code
              + "': a "
              + model.type()
              + " price needs the "
              + required
              + " aggregation");
    }
  }

  /** The aggregation a model's meaning needs: a capacity's peak, a dynamic price's sum. */
  private static Aggregation requiredAggregation(PriceModel model) {
    if (model instanceof CapacityPrice) {
      return Aggregation.MAX;
    }
    if (model instanceof DynamicPrice || model instanceof GraduatedPercentagePrice) {
      return Aggregation.SUM;
    }
    return null;
  }

  /** A flat recurring fee billed in advance, prorated for partial periods. */
  public static Charge flat(String code, PriceModel model) {
    return new Charge(
        code,
        null,
        null,
        model,
        QuantityRounding.NONE,
        ChargeTiming.ADVANCE,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        true);
  }

  /** The usage of a meter, billed in arrears, with no adjustments. */
  public static Charge usage(String code, String meter, Aggregation aggregation, PriceModel model) {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(aggregation, "aggregation");
    return new Charge(
        code,
        meter,
        aggregation,
        model,
        QuantityRounding.NONE,
        ChargeTiming.ARREARS,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        false);
  }

  /** Whether this is a flat recurring fee (no meter). */
  public boolean isFlat() {
    return meter == null;
  }

  /** This charge with another quantity rounding. */
  public Charge withRounding(QuantityRounding r) {
    return new Charge(
        code, meter, aggregation, model, r, timing, freeUnits, discountPercent, minimum, prorated);
  }

  /** This charge with another timing. */
  public Charge withTiming(ChargeTiming t) {
    return new Charge(
        code,
        meter,
        aggregation,
        model,
        rounding,
        t,
        freeUnits,
        discountPercent,
        minimum,
        prorated);
  }

  /** This charge with free units. */
  public Charge withFreeUnits(BigDecimal units) {
    return new Charge(
        code,
        meter,
        aggregation,
        model,
        rounding,
        timing,
        units,
        discountPercent,
        minimum,
        prorated);
  }

  /** This charge with a percentage discount. */
  public Charge withDiscountPercent(BigDecimal percent) {
    return new Charge(
        code, meter, aggregation, model, rounding, timing, freeUnits, percent, minimum, prorated);
  }

  /** This charge with a spending minimum per full period. */
  public Charge withMinimum(BigDecimal amount) {
    return new Charge(
        code,
        meter,
        aggregation,
        model,
        rounding,
        timing,
        freeUnits,
        discountPercent,
        amount,
        prorated);
  }

  /** This charge, prorated for partial periods or not. */
  public Charge withProrated(boolean p) {
    return new Charge(
        code, meter, aggregation, model, rounding, timing, freeUnits, discountPercent, minimum, p);
  }

  /**
   * Prices one period's usage. A pure function.
   *
   * @param usage the period's aggregated quantity (and transactions, where the model prices them);
   *     {@link Usage#NONE} for a flat fee
   * @param periodFraction the part of a full period billed, from 0 to 1 (1 for a full period); it
   *     prorates a prorated flat fee and the spending minimum
   * @throws InvalidInputException if the fraction is outside 0 to 1
   */
  public ChargeFee price(Usage usage, BigDecimal periodFraction) {
    Objects.requireNonNull(usage, "usage");
    if (periodFraction == null
        || periodFraction.signum() < 0
        || periodFraction.compareTo(BigDecimal.ONE) > 0) {
      throw new InvalidInputException("periodFraction", "is from 0 to 1");
    }
    BigDecimal quantity = rounding.apply(usage.quantity());
    BigDecimal billed = quantity.subtract(freeUnits).max(BigDecimal.ZERO);
    Fee fee = model.price(new Usage(billed, usage.transactions()));
    BigDecimal subtotal =
        isFlat() && prorated ? fee.amount().multiply(periodFraction) : fee.amount();
    BigDecimal discount =
        subtotal
            .multiply(discountPercent)
            .divide(HUNDRED, Money.PRECISE_SCALE, RoundingMode.HALF_UP);
    BigDecimal net = subtotal.subtract(discount);
    BigDecimal trueUp = minimum.multiply(periodFraction).subtract(net).max(BigDecimal.ZERO);
    return new ChargeFee(this, quantity, billed, fee, subtotal, discount, trueUp, net.add(trueUp));
  }

  private static BigDecimal nonNegative(String code, String field, BigDecimal value) {
    if (value == null || value.signum() < 0) {
      throw new InvalidInputException(
          field, "charge '" + code + "': " + field + " is zero or more");
    }
    return Money.precise(value);
  }
}
