package dev.tenantkit.billing.run;

import static dev.tenantkit.billing.run.PeriodLines.describe;

import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.ProrationLine;
import dev.tenantkit.billing.subscription.Subscription;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A billed period's own fees in advance on its invoice, and the credits its plan changes owe: the
 * run's side of {@link Proration}, with its day rule and rounding, so that what a change previews
 * and what the run bills agree to the cent. Pure.
 */
final class PeriodFees {
  private PeriodFees() {}

  /**
   * The billed period's own fees in advance that no earlier invoice billed: all of them, each
   * version for its fee days, when {@link BillingInputs#periodFeesDue()} (a first period); else
   * those of the versions a change put in force during the period, each for its days from the
   * change day ({@link dev.tenantkit.billing.subscription.Proration}'s charge, to the cent). A fee
   * that is not prorated is billed once, by the first version, and never on a change.
   */
  static List<InvoiceLine> lines(
      Subscription s, PlanVersion current, BillingPeriod p, BillingInputs in) {
    List<InvoiceLine> out = new ArrayList<>();
    if (s.pausedAt() != null && !s.pausedAt().isAfter(p.startInstant())) {
      return out;
    }
    List<Terms.Term> terms = Terms.of(s, current, in.priorTerms(), p, p.endInstant());
    for (int i = 0; i < terms.size(); i++) {
      Terms.Term t = terms.get(i);
      if ((!in.periodFeesDue() && i == 0) || t.feeDays() == 0) {
        continue;
      }
      for (PlanCharge pc : t.version().charges()) {
        Charge c = pc.charge();
        if (!c.isFlat() || c.timing() != ChargeTiming.ADVANCE || (i > 0 && !c.prorated())) {
          continue;
        }
        ChargeFee fee = c.price(Usage.NONE, t.feeFraction());
        if (fee.total().signum() != 0) {
          String note =
              (t.feeDays() == p.cycleDays() || !c.prorated()
                      ? "in advance"
                      : "in advance, " + t.feeDays() + " of " + p.cycleDays() + " days")
                  + (i > 0 ? ", plan change" : "");
          LocalDate from = t.to().minusDays(t.feeDays());
          String text = describe(t.version(), pc, from, t.to(), note);
          out.add(InvoiceLine.of(fee, text, s.currency(), in.taxRate()));
        }
      }
    }
    return out;
  }

  /** {@link PeriodBiller#changeCredits}. */
  static List<ProrationLine> credits(
      Subscription s, PlanVersion current, BillingPeriod period, BillingInputs in) {
    List<Terms.Term> terms = Terms.of(s, current, in.priorTerms(), period, period.endInstant());
    boolean paused = s.pausedAt() != null && !s.pausedAt().isAfter(period.startInstant());
    if (in.periodFeesDue()
        || paused
        || terms.size() < 2
        || terms.get(0).from().isAfter(period.start())) {
      return List.of();
    }
    Terms.Term paid = terms.get(0);
    LocalDate trialEnd = s.trialEndDay();
    LocalDate paidFrom = trialEnd.isAfter(period.start()) ? trialEnd : period.start();
    List<ProrationLine> out = new ArrayList<>();
    for (PlanCharge pc : paid.version().charges()) {
      Proration.unusedCredit(paid.version(), pc.charge(), paidFrom, paid.to(), period)
          .ifPresent(out::add);
    }
    return out;
  }
}
