package dev.tenantkit.billing.subscription;

import dev.tenantkit.billing.Money;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One line of a plan change's proration: a credit for the unused days of a fee paid in advance, or
 * a charge for the new plan's remaining days. Amounts are positive; {@link #kind()} says which way
 * they go. Immutable.
 *
 * @param kind a credit or a charge
 * @param planId the plan whose fee this is
 * @param planVersion its version
 * @param chargeCode the flat charge prorated
 * @param from the first day the line covers
 * @param to the day after the last day it covers
 * @param days the days covered
 * @param cycleDays the days of the full billing cycle
 * @param ratio {@code days / cycleDays}, 12 decimals half-up
 * @param precise the precise amount: the fee times the ratio
 * @param amount the amount billed, rounded half-up to the currency's minor unit (for a credit: what
 *     was paid for the period less the used part, each rounded, so the two add up to the cent)
 */
public record ProrationLine(
    Kind kind,
    String planId,
    int planVersion,
    String chargeCode,
    LocalDate from,
    LocalDate to,
    long days,
    long cycleDays,
    BigDecimal ratio,
    Money precise,
    Money amount) {

  /** Which way a line goes. */
  public enum Kind {
    /** Given back for unused days. */
    CREDIT,
    /** Billed for the remaining days. */
    CHARGE
  }

  /** Checks that every component is present. */
  public ProrationLine {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(planId, "planId");
    Objects.requireNonNull(chargeCode, "chargeCode");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(ratio, "ratio");
    Objects.requireNonNull(precise, "precise");
    Objects.requireNonNull(amount, "amount");
  }
}
