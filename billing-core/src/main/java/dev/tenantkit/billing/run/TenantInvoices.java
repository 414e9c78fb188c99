package dev.tenantkit.billing.run;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceLine;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.PriorPlan;
import dev.tenantkit.billing.subscription.ProrationLine;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Bills one subscription's period for a run and refreshes a run's draft before it is finalized: the
 * plan versions (the current one and those of its history) from the plan store, the inputs from the
 * billing store (tax rate, balances, corrections of the period before), the credit notes the period
 * owes ({@link RunCreditNotes}), the invoice from {@link PeriodBiller}. Thread-safe.
 */
final class TenantInvoices {
  /** What billing one tenant did. */
  enum Outcome {
    CREATED,
    EXISTING,
    NOT_DUE
  }

  private final BillingStore store;
  private final PlanVersionStore plans;
  private final PeriodBiller biller;
  private final Function<TenantId, TaxRate> taxRates;
  private final RunCreditNotes credits;

  TenantInvoices(
      BillingStore store,
      PlanVersionStore plans,
      PeriodBiller biller,
      Function<TenantId, TaxRate> taxRates) {
    this.store = store;
    this.plans = plans;
    this.biller = biller;
    this.taxRates = taxRates;
    this.credits = new RunCreditNotes(store);
  }

  /**
   * Stores the draft of {@code period} for {@code s} under its key, unless one is stored. The
   * subscription is billed {@link Subscription#asOf as of} the period's end, as {@link #compute}.
   */
  Outcome bill(Subscription s, BillingPeriod period) {
    String key = RunPeriods.key(s, period.start());
    // Read first: a re-run or an overlapping resumption reads no usage for a billed tenant.
    if (store.invoiceByKey(s.tenant(), key).isPresent()) {
      return Outcome.EXISTING;
    }
    Invoice draft = compute(UUID.randomUUID().toString(), s, period);
    return store.insertDraft(draft, key).created() ? Outcome.CREATED : Outcome.EXISTING;
  }

  /**
   * The invoice {@code id} of {@code period} for {@code s}, with the usage and balances now. First
   * the credits the period owes are issued as credit notes (a plan change's unused days, a usage
   * fee that went down after the invoice before was finalized), so that the balances it applies
   * include them.
   *
   * <p>{@code s} is taken {@link Subscription#asOf as of} the period's end: a change pending at
   * that instant (a downgrade waiting for the period end) bills this period on the old version,
   * which it moves into the history, and the next period's fees in advance on the new one.
   */
  Invoice compute(String id, Subscription stored, BillingPeriod period) {
    Subscription s = stored.asOf(period.endInstant());
    PlanVersion current = plan(s.planId(), s.planVersion());
    return biller.bill(id, s, current, period, inputs(s, current, period, false));
  }

  /**
   * What the invoice at the end of the period containing {@code now} will be ({@link
   * PeriodBiller#upcoming}), with the inputs {@link #compute} would use: the balances, and the
   * credit notes the period owes as if issued, applied; nothing is stored or consumed. As {@link
   * #compute}, {@code s} is taken as of the period's end.
   */
  UpcomingInvoice upcoming(String id, Subscription stored, Instant now) {
    BillingPeriod period = stored.periods().containing(now);
    Subscription s = stored.asOf(period.endInstant());
    PlanVersion current = plan(s.planId(), s.planVersion());
    return biller.upcoming(id, s, current, inputs(s, current, period, true), now);
  }

  /**
   * The period containing {@code now} so far ({@link PeriodBiller#summary}), on each version, with
   * {@code s} {@link Subscription#asOf as of} {@code now}.
   */
  BillingSummary summary(Subscription stored, Instant now) {
    Subscription s = stored.asOf(now);
    PlanVersion current = plan(s.planId(), s.planVersion());
    return biller.summary(s, current, terms(s, s.periods().containing(now)).build(), now);
  }

  private BillingInputs.Builder terms(Subscription s, BillingPeriod period) {
    BillingInputs.Builder terms =
        BillingInputs.builder()
            .taxRate(taxRates.apply(s.tenant()))
            .periodFeesDue(RunPeriods.previous(s, period).isEmpty());
    for (PriorPlan p : s.history()) {
      terms.priorTerm(new PlanTerm(plan(p.planId(), p.version()), p.since()));
    }
    return terms;
  }

  /**
   * The inputs of {@code period}'s invoice; the credit notes it owes are issued first, or for a
   * {@code preview} only added to the credit balance it applies.
   */
  private BillingInputs inputs(
      Subscription s, PlanVersion current, BillingPeriod period, boolean preview) {
    Optional<BillingPeriod> before = RunPeriods.previous(s, period);
    Optional<Invoice> billedBefore = before.flatMap(b -> issued(s, b));
    BillingInputs base = terms(s, period).build();
    List<RunCreditNotes.Prepared> owed = new ArrayList<>();
    List<InvoiceLine> corrections = List.of();
    if (billedBefore.isPresent()) {
      Invoice billed = billedBefore.get();
      Map<String, Money> unused = new LinkedHashMap<>();
      for (ProrationLine l : biller.changeCredits(s, current, period, base)) {
        unused.merge(l.chargeCode(), l.amount(), Money::plus);
      }
      credits
          .prepare(
              billed,
              "run-change-" + period.start(),
              period.end(),
              CreditNoteReason.ORDER_CHANGE,
              "Unused days of " + period + " after the plan change",
              unused)
          .ifPresent(owed::add);
      if (!preview) {
        // Stored before the next note is computed, so that the next counts what it credited.
        owed.forEach(credits::insert);
      }
      Corrections.Result r =
          biller.corrections(
              s,
              current,
              before.get(),
              base,
              billed,
              List.of(),
              credits.correctionsCredited(billed));
      corrections = r.lines();
      Map<String, Money> lower = new LinkedHashMap<>();
      r.credits().forEach(c -> lower.merge(c.chargeCode(), c.amount(), Money::plus));
      credits
          .prepare(
              billed,
              credits.nextCorrectionId(billed),
              period.end(),
              CreditNoteReason.OTHER,
              "Usage of " + before.get() + " corrected after the invoice was finalized",
              lower)
          .ifPresent(
              note -> {
                owed.add(note);
                if (!preview) {
                  credits.insert(note);
                }
              });
    }
    // Issued notes are in the balance now; a preview adds what they would credit back.
    Money creditBalance = store.balance(s.tenant(), CreditAccount.CREDIT_NOTES, s.currency());
    if (preview) {
      for (RunCreditNotes.Prepared p : owed) {
        creditBalance = creditBalance.plus(p.note().creditedBack());
      }
    }
    return base.toBuilder()
        .creditBalance(creditBalance)
        .prepaidBalance(store.balance(s.tenant(), CreditAccount.WALLET, s.currency()))
        .corrections(corrections)
        .build();
  }

  /** The finalized (not void) invoice of {@code period}, found by its key. */
  private Optional<Invoice> issued(Subscription s, BillingPeriod period) {
    return store
        .invoiceByKey(s.tenant(), RunPeriods.key(s, period.start()))
        .map(Versioned::value)
        .filter(i -> !i.isDraft() && i.status() != InvoiceStatus.VOID);
  }

  private PlanVersion plan(String planId, int version) {
    return plans
        .get(planId, version)
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "plan_version",
                    "no plan version " + planId + " v" + version + " is published"));
  }
}
