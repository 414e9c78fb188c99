package dev.tenantkit.billing.run;

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
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills one subscription's period for a run and refreshes a run's draft before it is finalized: the
 * plan version from the plan store, the inputs from the billing store (tax rate, balances,
 * corrections of the period before), the invoice from {@link PeriodBiller}. Thread-safe.
 */
final class TenantInvoices {
  private static final Logger LOG = LoggerFactory.getLogger(TenantInvoices.class);

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

  TenantInvoices(
      BillingStore store,
      PlanVersionStore plans,
      PeriodBiller biller,
      Function<TenantId, TaxRate> taxRates) {
    this.store = store;
    this.plans = plans;
    this.biller = biller;
    this.taxRates = taxRates;
  }

  /** Stores the draft of {@code period} for {@code s} under its key, unless one is stored. */
  Outcome bill(Subscription s, BillingPeriod period) {
    String key = RunPeriods.key(s, period.start());
    // Read first: a re-run or an overlapping resumption reads no usage for a billed tenant.
    if (store.invoiceByKey(s.tenant(), key).isPresent()) {
      return Outcome.EXISTING;
    }
    Invoice draft = compute(UUID.randomUUID().toString(), s, period);
    return store.insertDraft(draft, key).created() ? Outcome.CREATED : Outcome.EXISTING;
  }

  /** The invoice {@code id} of {@code period} for {@code s}, with the usage and balances now. */
  Invoice compute(String id, Subscription s, BillingPeriod period) {
    PlanVersion current = plan(s);
    BillingInputs base = inputs(s);
    BillingInputs in =
        new BillingInputs(
            base.taxRate(),
            base.coupons(),
            base.creditBalance(),
            base.prepaidBalance(),
            base.paymentTermDays(),
            corrections(s, current, period, base),
            base.priorTerms(),
            base.progressiveBilled());
    return biller.bill(id, s, current, period, in);
  }

  /**
   * The correction lines for late usage of the period before {@code period}, from its finalized
   * invoice found by its idempotency key; none when it has none, or it is a draft or void.
   */
  private List<InvoiceLine> corrections(
      Subscription s, PlanVersion current, BillingPeriod period, BillingInputs base) {
    Optional<BillingPeriod> before = RunPeriods.previous(s, period);
    if (before.isEmpty()) {
      return List.of();
    }
    Optional<Versioned<Invoice>> billed =
        store.invoiceByKey(s.tenant(), RunPeriods.key(s, before.get().start()));
    if (billed.isEmpty()
        || billed.get().value().isDraft()
        || billed.get().value().status() == InvoiceStatus.VOID) {
      return List.of();
    }
    Corrections.Result r =
        biller.corrections(s, current, before.get(), base, billed.get().value(), List.of());
    if (!r.credits().isEmpty()) {
      // A lower fee is a credit note against the finalized invoice: the operator's decision.
      LOG.warn(
          "tenant {}: usage of {} went down after invoice {} was finalized; credits due: {}",
          s.tenant().value(),
          before.get(),
          billed.get().value().id(),
          r.credits());
    }
    return r.lines();
  }

  private BillingInputs inputs(Subscription s) {
    return BillingInputs.builder()
        .taxRate(taxRates.apply(s.tenant()))
        .creditBalance(store.balance(s.tenant(), CreditAccount.CREDIT_NOTES, s.currency()))
        .prepaidBalance(store.balance(s.tenant(), CreditAccount.WALLET, s.currency()))
        .build();
  }

  private PlanVersion plan(Subscription s) {
    return plans
        .get(s.planId(), s.planVersion())
        .orElseThrow(
            () ->
                new InvalidInputException(
                    "plan_version",
                    "no plan version " + s.planId() + " v" + s.planVersion() + " is published"));
  }
}
