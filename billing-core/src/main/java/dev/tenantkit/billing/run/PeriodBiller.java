package dev.tenantkit.billing.run;

import static dev.tenantkit.billing.run.PeriodLines.builder;
import static dev.tenantkit.billing.run.PeriodLines.describe;
import static dev.tenantkit.billing.run.PeriodLines.lessProgressive;
import static dev.tenantkit.billing.run.PeriodLines.line;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.ChargeTiming;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.run.PeriodLines.Priced;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.ProrationLine;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.usage.ChargeUsageReader;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Bills one subscription for one billing period: builds the {@link InvoiceRequest} from the
 * subscription, its plan versions and the usage metering recorded, and computes it with {@link
 * InvoiceCalculator#standard()}. Reads usage through {@link ChargeUsageReader} and nothing else; no
 * clock (a preview takes {@code now}). Stateless and thread-safe.
 *
 * <p>What an invoice holds (docs/billing.md, "From usage to an invoice"):
 *
 * <ul>
 *   <li>The first invoice of a subscription, issued on its start day: the flat fees in advance of
 *       its first (often partial) period, prorated by {@link Subscription#billedFraction}, so the
 *       trial days are free (Lago's trial example: 50 a month, 5 trial days from April 1st, bills
 *       50 x 25 / 30 = 41.67 on April 1st).
 *   <li>The invoice at the end of each period, issued on the next period's first day: the charges
 *       in arrears of the period that ended (usage charges and flat fees in arrears), then the flat
 *       fees in advance of the next period, prorated by its billed fraction (nothing once the
 *       subscription ended). A period with a plan change bills each version's arrears for its own
 *       days (the change day is the new version's, as in Proration) and usage from its own part.
 *   <li>Usage is read from the first instant of the version's first day to the end of the period,
 *       or earlier when the subscription ends or is paused; usage in the trial is billed (Lago:
 *       "Usage-based charges incurred during the trial period remain payable").
 *   <li>An overage charge bills only the usage above the plan's limit ({@link
 *       PlanCharge#quantity}), in the charge's unit.
 *   <li>A usage charge that bills nothing adds no line; a flat fee of zero days adds none either,
 *       nor a fee in advance of a period that begins while the subscription is paused.
 *   <li>Corrections for late usage of finalized periods ({@link Corrections}) follow the charges.
 * </ul>
 */
public final class PeriodBiller {
  private final ChargeUsageReader usage;
  private final PlanCatalog limits;

  private PeriodBiller(ChargeUsageReader usage, PlanCatalog limits) {
    this.usage = usage;
    this.limits = limits;
  }

  /**
   * A biller reading usage through {@code usage} and the plans' limits (for overage charges) from
   * {@code limits}, such as {@code PriceCatalog.limits()}.
   */
  public static PeriodBiller of(ChargeUsageReader usage, PlanCatalog limits) {
    return new PeriodBiller(
        Objects.requireNonNull(usage, "usage"), Objects.requireNonNull(limits, "limits"));
  }

  /**
   * The request of a subscription's first invoice: the flat fees in advance of its first period.
   *
   * @throws InvalidInputException if the subscription is not on {@code current}
   */
  public InvoiceRequest firstRequest(
      String invoiceId, Subscription subscription, PlanVersion current, BillingInputs inputs) {
    requireOn(subscription, current);
    BillingPeriod first = subscription.periods().first();
    InvoiceRequest.Builder b = builder(invoiceId, subscription, first, first.start(), inputs);
    advanceLines(subscription, current, first, inputs).forEach(b::extraLine);
    inputs.corrections().forEach(b::extraLine);
    return b.build();
  }

  /**
   * A subscription's first invoice.
   *
   * @throws InvalidInputException as {@link #firstRequest}
   */
  public Invoice first(
      String invoiceId, Subscription subscription, PlanVersion current, BillingInputs inputs) {
    return InvoiceCalculator.standard()
        .calculate(firstRequest(invoiceId, subscription, current, inputs));
  }

  /**
   * The request of the invoice at the end of {@code ended}: its charges in arrears, less what
   * progressive invoices billed of them, then the next period's flat fees in advance.
   *
   * @param current the version the subscription is on (a change pending at the period's end is
   *     applied by the caller first: the next period's fees are the new version's)
   * @throws InvalidInputException if the subscription is not on {@code current}, or a charge cannot
   *     be read or priced
   */
  public InvoiceRequest request(
      String invoiceId,
      Subscription subscription,
      PlanVersion current,
      BillingPeriod ended,
      BillingInputs inputs) {
    return request(invoiceId, subscription, current, ended, inputs, ended.endInstant());
  }

  /**
   * The invoice at the end of {@code ended}.
   *
   * @throws InvalidInputException as {@link #request}
   */
  public Invoice bill(
      String invoiceId,
      Subscription subscription,
      PlanVersion current,
      BillingPeriod ended,
      BillingInputs inputs) {
    return InvoiceCalculator.standard()
        .calculate(request(invoiceId, subscription, current, ended, inputs));
  }

  /**
   * What the invoice at the end of the period containing {@code now} will be if nothing else is
   * used: the usage so far, the period's fees in arrears in full, the next period's fees in
   * advance.
   *
   * @throws InvalidInputException as {@link #request}, or if {@code now} is before the start
   */
  public UpcomingInvoice upcoming(
      String invoiceId,
      Subscription subscription,
      PlanVersion current,
      BillingInputs inputs,
      Instant now) {
    BillingPeriod period = subscription.periods().containing(now);
    InvoiceRequest r = request(invoiceId, subscription, current, period, inputs, now);
    return new UpcomingInvoice(period, now, InvoiceCalculator.standard().calculate(r));
  }

  /**
   * The period containing {@code now} so far: usage and amount per charge in arrears, before tax.
   *
   * @throws InvalidInputException as {@link #upcoming}
   */
  public BillingSummary summary(
      Subscription subscription, PlanVersion current, BillingInputs inputs, Instant now) {
    requireOn(subscription, current);
    BillingPeriod period = subscription.periods().containing(now);
    List<BillingSummary.ChargeUsage> charges = new ArrayList<>();
    Money total = Money.zero(subscription.currency());
    for (Priced p : arrears(subscription, current, period, inputs, now)) {
      Money amount = Money.of(p.fee().total(), subscription.currency()).rounded();
      charges.add(
          new BillingSummary.ChargeUsage(
              p.planCharge().code(), p.description(), p.fee().quantity(), amount));
      total = total.plus(amount);
    }
    // Proration's day count: now's day is both begun (elapsed) and not over (remaining), so the
    // remaining days are those a plan change at now would prorate by.
    LocalDate today = LocalDate.ofInstant(now, period.zone());
    long elapsed = Math.min(period.days(), ChronoUnit.DAYS.between(period.start(), today) + 1);
    long remaining = Math.max(0, ChronoUnit.DAYS.between(today, period.end()));
    return new BillingSummary(period, now, elapsed, remaining, charges, total);
  }

  /**
   * A progressive invoice at {@code now} ({@link ProgressiveBilling}): the usage charges of the
   * period so far, each less what earlier progressive invoices billed of it ({@link
   * BillingInputs#progressiveBilled}); no flat fee and no spending minimum (those are for the
   * period's end).
   *
   * @throws InvalidInputException as {@link #upcoming}
   */
  public Invoice progressive(
      String invoiceId,
      Subscription subscription,
      PlanVersion current,
      BillingInputs inputs,
      Instant now) {
    requireOn(subscription, current);
    BillingPeriod period = subscription.periods().containing(now);
    InvoiceRequest.Builder b =
        builder(invoiceId, subscription, period, LocalDate.ofInstant(now, period.zone()), inputs);
    for (Priced p : arrears(subscription, current, period, inputs, now)) {
      if (!p.planCharge().charge().isFlat()) {
        BigDecimal soFar = p.fee().total().subtract(p.fee().minimumTrueUp());
        lessProgressive(p, soFar, inputs, subscription).ifPresent(b::extraLine);
      }
    }
    return InvoiceCalculator.standard().calculate(b.build());
  }

  /**
   * The current usage fee of each usage charge in {@code period} so far, rounded, as a progressive
   * invoice would bill it before deductions: what {@link ProgressiveBilling#due} compares.
   */
  public Money usageAmount(
      Subscription subscription,
      PlanVersion current,
      BillingPeriod period,
      BillingInputs inputs,
      Instant now) {
    Money total = Money.zero(subscription.currency());
    for (Priced p : arrears(subscription, current, period, inputs, now)) {
      if (!p.planCharge().charge().isFlat()) {
        total =
            total.plus(
                Money.of(p.fee().total().subtract(p.fee().minimumTrueUp()), subscription.currency())
                    .rounded());
      }
    }
    return total;
  }

  /**
   * The corrections for the finalized invoice of {@code period}: its usage charges re-read now and
   * compared with what it and the corrections since billed ({@link Corrections#of}).
   *
   * @param billed the finalized invoice of the period
   * @param earlierCorrections the correction lines of this period already billed on later invoices
   * @throws InvalidInputException as {@link #request}
   */
  public Corrections.Result corrections(
      Subscription subscription,
      PlanVersion current,
      BillingPeriod period,
      BillingInputs inputs,
      Invoice billed,
      List<InvoiceLine> earlierCorrections) {
    return corrections(subscription, current, period, inputs, billed, earlierCorrections, Map.of());
  }

  /**
   * The corrections as {@link #corrections(Subscription, PlanVersion, BillingPeriod, BillingInputs,
   * Invoice, List)}, less what correction credit notes already credited per charge code (before
   * tax).
   *
   * @throws InvalidInputException as {@link #request}
   */
  public Corrections.Result corrections(
      Subscription subscription,
      PlanVersion current,
      BillingPeriod period,
      BillingInputs inputs,
      Invoice billed,
      List<InvoiceLine> earlierCorrections,
      Map<String, Money> credited) {
    List<ChargeFee> reread = new ArrayList<>();
    for (Priced p : arrears(subscription, current, period, inputs, period.endInstant())) {
      if (!p.planCharge().charge().isFlat()) {
        reread.add(p.fee());
      }
    }
    return Corrections.of(billed, earlierCorrections, credited, reread, inputs.taxRate());
  }

  private InvoiceRequest request(
      String invoiceId,
      Subscription s,
      PlanVersion current,
      BillingPeriod ended,
      BillingInputs inputs,
      Instant until) {
    requireOn(s, current);
    InvoiceRequest.Builder b = builder(invoiceId, s, ended, ended.end(), inputs);
    for (Priced p : arrears(s, current, ended, inputs, until)) {
      if (p.planCharge().charge().isFlat()) {
        b.extraLine(line(p, p.fee().total(), p.description(), inputs.taxRate(), s));
      } else {
        lessProgressive(p, p.fee().total(), inputs, s).ifPresent(b::extraLine);
      }
    }
    PeriodFees.lines(s, current, ended, inputs).forEach(b::extraLine);
    BillingPeriod next = s.periods().next(ended);
    advanceLines(s, current, next, inputs).forEach(b::extraLine);
    inputs.corrections().forEach(b::extraLine);
    return b.build();
  }

  /**
   * The credits owed for {@code period} by its plan changes: the unused days of each prorated fee
   * in advance of the version in force when the period began, which the invoice before it billed in
   * full ({@link Proration#unusedCredit}, the change's own credit to the cent). The caller issues
   * them as a credit note against that invoice. None when the period had no change, or its fees
   * were not billed in advance ({@link BillingInputs#periodFeesDue()}, a pause).
   *
   * @throws InvalidInputException as {@link #request}
   */
  public List<ProrationLine> changeCredits(
      Subscription s, PlanVersion current, BillingPeriod period, BillingInputs in) {
    requireOn(s, current);
    return PeriodFees.credits(s, current, period, in);
  }

  /**
   * The charges in arrears of each version's part of the period, with their usage to {@code until}.
   */
  private List<Priced> arrears(
      Subscription s, PlanVersion current, BillingPeriod period, BillingInputs in, Instant until) {
    List<Priced> out = new ArrayList<>();
    for (Terms.Term t : Terms.of(s, current, in.priorTerms(), period, until)) {
      for (PlanCharge pc : t.version().charges()) {
        Charge c = pc.charge();
        ChargeFee fee;
        if (c.isFlat()) {
          if (c.timing() != ChargeTiming.ARREARS || t.feeDays() == 0) {
            continue;
          }
          fee = c.price(Usage.NONE, t.feeFraction());
        } else {
          Usage read =
              t.hasUsage()
                  ? usage.read(s.tenant(), c, new TimeRange(t.usageFrom(), t.usageTo()))
                  : Usage.NONE;
          Usage priced =
              new Usage(pc.quantity(read.quantity(), spec(t.version(), pc)), read.transactions());
          fee = c.price(priced, t.fraction());
        }
        if (fee.total().signum() != 0
            || (!c.isFlat() && in.progressiveBilled(c.code()).signum() != 0)) {
          out.add(new Priced(pc, fee, describe(t.version(), pc, t.from(), t.to(), null)));
        }
      }
    }
    return out;
  }

  private List<InvoiceLine> advanceLines(
      Subscription s, PlanVersion current, BillingPeriod period, BillingInputs in) {
    List<InvoiceLine> out = new ArrayList<>();
    // The version in force when the period begins: a change made after that (a draft refreshed
    // during its grace period) is the period's own change, billed at its end (PeriodFees).
    PlanVersion version = current;
    long days = s.billedDays(period);
    if (s.planSince().isAfter(period.startInstant())) {
      for (PlanTerm t : in.priorTerms()) {
        if (!t.since().isAfter(period.startInstant())) {
          version = t.version();
        }
      }
      if (version != current) {
        LocalDate trialEnd = s.trialEndDay();
        LocalDate start = trialEnd.isAfter(period.start()) ? trialEnd : period.start();
        LocalDate end = period.end();
        if (s.endsAt() != null && LocalDate.ofInstant(s.endsAt(), s.zone()).isBefore(end)) {
          end = LocalDate.ofInstant(s.endsAt(), s.zone());
        }
        days = Math.max(0, ChronoUnit.DAYS.between(start, end));
      }
    }
    // Paused when the period begins: nothing new is billed until resumed (Subscription.pause).
    boolean paused = s.pausedAt() != null && !s.pausedAt().isAfter(period.startInstant());
    if (days == 0 || paused) {
      return out;
    }
    BigDecimal fraction = Terms.ratio(days, period.cycleDays());
    LocalDate from = period.end().minusDays(days);
    for (PlanCharge pc : version.charges()) {
      Charge c = pc.charge();
      if (c.isFlat() && c.timing() == ChargeTiming.ADVANCE) {
        ChargeFee fee = c.price(Usage.NONE, fraction);
        if (fee.total().signum() != 0) {
          String note =
              days == period.cycleDays() || !c.prorated()
                  ? "in advance"
                  : "in advance, " + days + " of " + period.cycleDays() + " days";
          String text = describe(version, pc, from, period.end(), note);
          out.add(InvoiceLine.of(fee, text, s.currency(), in.taxRate()));
        }
      }
    }
    return out;
  }

  private LimitSpec spec(PlanVersion version, PlanCharge pc) {
    if (!pc.isOverage()) {
      return null;
    }
    return limits
        .plan(version.planId())
        .flatMap((Plan p) -> p.limit(pc.limit()))
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "limit",
                    "plan " + version + " has no limit '" + pc.limit() + "' for " + pc.code()));
  }

  private static void requireOn(Subscription s, PlanVersion current) {
    if (!s.isOn(current)) {
      throw new InvalidInputException(
          "plan_version",
          "the subscription is on " + s.planId() + " v" + s.planVersion() + ", not " + current);
    }
    if (!current.currency().equals(s.currency())) {
      throw new InvalidInputException("currency", "the plan and the subscription differ");
    }
  }
}
