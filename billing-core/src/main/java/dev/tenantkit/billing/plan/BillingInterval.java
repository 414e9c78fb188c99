package dev.tenantkit.billing.plan;

import dev.tenantkit.tenancy.InvalidInputException;
import java.util.Locale;

/** How long one billing period of a plan is: a calendar month or a calendar year. */
public enum BillingInterval {
  /** One month: from a day of a month to the same day of the next month. */
  MONTH(1),
  /** One year: from a day to the same day a year later. */
  YEAR(12);

  private final int months;

  BillingInterval(int months) {
    this.months = months;
  }

  /** The months in one period: 1 or 12. */
  public int months() {
    return months;
  }

  /**
   * The interval written in a catalog: {@code month} or {@code year} (any case).
   *
   * @throws InvalidInputException if the text is neither
   */
  public static BillingInterval parse(String text) {
    if (text != null) {
      switch (text.strip().toLowerCase(Locale.ROOT)) {
        case "month":
        case "monthly":
          return MONTH;
        case "year":
        case "yearly":
          return YEAR;
        default:
          break;
      }
    }
    throw new InvalidInputException("interval", "is month or year, got '" + text + "'");
  }
}
