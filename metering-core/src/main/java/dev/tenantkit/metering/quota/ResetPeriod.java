package dev.tenantkit.metering.quota;

/**
 * The calendar period of an {@link LimitKind#ALLOWANCE}. Periods start at midnight (or the first
 * instant of the day when a daylight-saving change skips midnight) in the {@link
 * PlanCatalog#zone()} of the catalog.
 */
public enum ResetPeriod {
  /** From one midnight to the next. */
  DAY,
  /** From the first of the month 00:00 to the first of the next month 00:00. */
  MONTH
}
