package dev.tenantkit.billing.subscription;

import dev.tenantkit.tenancy.InvalidInputException;

/**
 * Which days a subscription's billing periods start on.
 *
 * <ul>
 *   <li>{@link Kind#CALENDAR}: the first of each month (of January for a yearly plan); a
 *       subscription that starts on another day has a first, partial period (a stub) up to the next
 *       first.
 *   <li>{@link Kind#ANNIVERSARY}: the subscription's own start day (and month, for a yearly plan);
 *       no stub.
 *   <li>{@link Kind#BILL_CYCLE_DAY}: day {@code n} of each month (of the start month, for a yearly
 *       plan), as Kill Bill's bill cycle day (BCD); a stub up to the first such day.
 * </ul>
 *
 * A day past the end of a short month is that month's last day: day 31 is April 30 and February 28
 * (29), and the period after it starts on day 31 again where the month has one. Immutable.
 *
 * @param kind the kind
 * @param day the bill cycle day, 1 to 31, for {@link Kind#BILL_CYCLE_DAY}; 0 otherwise
 */
public record BillingAlignment(Kind kind, int day) {

  /** The kinds of alignment. */
  public enum Kind {
    /** Periods start on the first of the month. */
    CALENDAR,
    /** Periods start on the subscription's start day. */
    ANNIVERSARY,
    /** Periods start on a fixed day of the month. */
    BILL_CYCLE_DAY
  }

  /**
   * Checks the components.
   *
   * @throws InvalidInputException if the kind is missing or the day does not fit it
   */
  public BillingAlignment {
    if (kind == null) {
      throw new InvalidInputException("alignment", "is required");
    }
    if (kind == Kind.BILL_CYCLE_DAY ? day < 1 || day > 31 : day != 0) {
      throw new InvalidInputException(
          "alignment", "a bill cycle day is 1 to 31; the other alignments take no day");
    }
  }

  /** Periods start on the first of the month. */
  public static BillingAlignment calendar() {
    return new BillingAlignment(Kind.CALENDAR, 0);
  }

  /** Periods start on the subscription's start day. */
  public static BillingAlignment anniversary() {
    return new BillingAlignment(Kind.ANNIVERSARY, 0);
  }

  /**
   * Periods start on day {@code day} of the month (the last day where the month is shorter).
   *
   * @throws InvalidInputException if the day is not 1 to 31
   */
  public static BillingAlignment billCycleDay(int day) {
    return new BillingAlignment(Kind.BILL_CYCLE_DAY, day);
  }
}
