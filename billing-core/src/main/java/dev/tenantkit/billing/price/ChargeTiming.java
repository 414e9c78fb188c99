package dev.tenantkit.billing.price;

/** When a charge is billed relative to the period it pays for. */
public enum ChargeTiming {
  /** At the start of the period (flat recurring fees only): a subscription fee paid up front. */
  ADVANCE,
  /** At the end of the period, for what was used or held during it. */
  ARREARS
}
