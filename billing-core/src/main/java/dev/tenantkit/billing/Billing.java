package dev.tenantkit.billing;

import dev.tenantkit.billing.invoice.BillTo;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.invoice.render.InvoiceDocument;
import dev.tenantkit.billing.invoice.render.InvoiceRenderer;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.report.RevenueReports;
import dev.tenantkit.billing.run.BillingRunner;
import dev.tenantkit.billing.run.BillingSummary;
import dev.tenantkit.billing.run.PeriodBiller;
import dev.tenantkit.billing.run.UpcomingInvoice;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.PlanChange;
import dev.tenantkit.billing.subscription.Proration;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.usage.ChargeUsageReader;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantEvent;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantService;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantPurger;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.time.YearMonth;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What an adapter needs of billing in a few calls: a tenant's subscription, plan changes with their
 * proration, the current period's summary and invoice so far, the tenant's invoices and their
 * renderings, and the operator's billing runs, voids, credit notes and revenue reports. The rules
 * live in {@link PeriodBiller}, {@link Proration}, {@link CreditNotes}, {@link BillingRunner} and
 * {@link RevenueReports}; this class only reads the stores and hands over.
 *
 * <pre>{@code
 * Billing billing = Billing.builder()
 *     .store(store).plans(planVersions).catalog(PriceCatalog.defaults())
 *     .usage(metering.queries()).issuer(issuer).clock(clock).build();
 * billing.subscribe(tenant, "starter");
 * BillingSummary soFar = billing.summary(tenant);
 * }</pre>
 *
 * <p>Every tenant method reads and writes only that tenant's data: an invoice id of another tenant
 * is not found. Thread-safe. It owns one thread, for {@link #startRun} (unless an executor is
 * given), stopped by {@link #close()}.
 */
public final class Billing implements AutoCloseable {

  private final BillingStore store;
  private final Issuer issuer;
  private final InstantSource clock;
  private final Function<TenantId, BillTo> billTo;
  private final SubscriptionDesk tenants;
  private final BillingOperator operator;
  private final BillingRunner runner;

  private Billing(Builder b) {
    this.store = b.store;
    this.issuer = b.issuer;
    this.clock = b.clock;
    this.billTo = b.billTo;
    TaxRate rate = b.taxRate;
    Function<TenantId, TaxRate> taxRates = b.taxRates != null ? b.taxRates : t -> rate;
    PeriodBiller biller = PeriodBiller.of(ChargeUsageReader.of(b.usage), b.catalog.limits());
    BillingRunner.Builder rb =
        BillingRunner.builder(b.store, b.plans, biller, b.issuer)
            .clock(b.clock)
            .grace(b.grace)
            .taxRates(taxRates);
    if (b.registry != null) {
      rb.meterRegistry(b.registry);
    }
    this.runner = rb.build();
    this.tenants = new SubscriptionDesk(b.store, b.plans, b.catalog, runner, b.clock, b.tenants);
    this.operator = new BillingOperator(b.store, b.plans, runner, b.clock, b.executor);
  }

  /** A builder; store, plans, catalog, usage and issuer are required. */
  public static Builder builder() {
    return new Builder();
  }

  // ---- the tenant's subscription -------------------------------------------------------------

  /**
   * Subscribes {@code tenant} to the latest published version of {@code planId}, in that version's
   * currency, from now.
   *
   * @throws NotFoundException if no version of the plan was published
   * @throws ConflictException if the tenant already has a subscription
   */
  public Subscription subscribe(TenantId tenant, String planId) {
    return tenants.subscribe(tenant, planId);
  }

  /**
   * The tenant's subscription as it stands now ({@link Subscription#asOf}: a downgrade whose period
   * end has passed is in force), if it has one.
   */
  public Optional<Subscription> subscription(TenantId tenant) {
    return tenants.subscription(tenant);
  }

  /**
   * The id of the plan the tenant's subscription is on now ({@link Subscription#asOf}), if it has a
   * subscription: the plan quotas should enforce while billing is on, so that the quota decision
   * and the invoice agree (docs/billing.md, "Quotas follow the subscription"). One store read;
   * cache it on a hot path.
   */
  public Optional<String> planInForce(TenantId tenant) {
    return tenants.subscription(tenant).map(Subscription::planId);
  }

  /**
   * What changing the tenant's plan to the latest version of {@code planId} now would do, without
   * changing anything: {@link Proration#change}.
   *
   * @param now whether a downgrade applies at once rather than at the period end
   * @throws NotFoundException if the tenant has no subscription or the plan no published version
   * @throws InvalidInputException as {@link Proration#change} (same plan, another currency, ...)
   */
  public PlanChange previewChange(TenantId tenant, String planId, boolean now) {
    return tenants.previewChange(tenant, planId, now);
  }

  /**
   * Changes the tenant's plan as {@link #previewChange} describes: an upgrade at once, a downgrade
   * at the period end unless {@code now}; stores the subscription after the change. With {@link
   * Builder#tenants}, the tenant's own plan ({@link TenantService#changePlan}) is then set to the
   * plan chosen, so the tenant record agrees (a failure there is logged: the subscription is stored
   * and is what quotas read through {@link #planInForce}).
   *
   * @throws ConflictException if the subscription changed meanwhile (retry)
   * @throws NotFoundException as {@link #previewChange}
   * @throws InvalidInputException as {@link #previewChange}
   */
  public PlanChange changePlan(TenantId tenant, String planId, boolean now) {
    return tenants.changePlan(tenant, planId, now);
  }

  /**
   * Cancels the tenant's subscription now or at the end of the current period ({@link
   * Subscription#cancel}); a cancelled-now subscription's last period is billed up to the
   * cancellation by the next run. What a host calls when a tenant leaves: {@link
   * #lifecycleListener()} does so when a tenant is deleted.
   *
   * @return the cancelled subscription; empty if the tenant has none, or it is already cancelled or
   *     ending
   * @throws ConflictException if the subscription changed meanwhile (retry)
   */
  public Optional<Subscription> cancel(TenantId tenant, CancelTiming timing) {
    Objects.requireNonNull(timing, "timing");
    return tenants.cancel(Objects.requireNonNull(tenant, "tenant"), timing);
  }

  /**
   * A tenant lifecycle listener for {@link dev.tenantkit.tenancy.Tenancy.Builder#listener}: a
   * deleted tenant's subscription is cancelled at once, so no run bills it beyond its deletion (its
   * last, partial period is still billed: what it used until then). Purging its data is {@link
   * #purger()}'s job.
   */
  public TenantEventListener lifecycleListener() {
    return event -> {
      if (event.type() == TenantEvent.Type.DELETED) {
        cancel(event.tenant().id(), CancelTiming.NOW);
      }
    };
  }

  // ---- the current period --------------------------------------------------------------------

  /**
   * The current period so far: usage and amount per charge in arrears, before tax ({@link
   * PeriodBiller#summary}).
   *
   * @throws NotFoundException if the tenant has no subscription
   */
  public BillingSummary summary(TenantId tenant) {
    return tenants.summary(tenant);
  }

  /**
   * The invoice of the current period so far ({@link PeriodBiller#upcoming}): nothing is stored.
   *
   * @throws NotFoundException if the tenant has no subscription
   */
  public UpcomingInvoice upcoming(TenantId tenant) {
    return tenants.upcoming(tenant);
  }

  // ---- invoices ------------------------------------------------------------------------------

  /** A page of the tenant's invoices, by id. */
  public Page<Invoice> invoices(TenantId tenant, String cursor, int limit) {
    return store.invoices(tenant, cursor, limit);
  }

  /**
   * One of the tenant's invoices.
   *
   * @throws NotFoundException if the tenant has no invoice with that id (another tenant's id
   *     included: its existence is not revealed)
   */
  public Invoice invoice(TenantId tenant, String id) {
    return BillingOperator.requireInvoice(store, tenant, id).value();
  }

  /**
   * One of the tenant's invoices rendered with its issuer and billed details.
   *
   * @throws NotFoundException as {@link #invoice}
   */
  public byte[] render(TenantId tenant, String id, Format format) {
    return format.renderer.render(document(tenant, invoice(tenant, id)));
  }

  /**
   * {@code invoice} with this facade's issuer and the tenant's billed details, for a renderer (an
   * upcoming invoice, which is not stored, is rendered this way).
   */
  public InvoiceDocument document(TenantId tenant, Invoice invoice) {
    return new InvoiceDocument(invoice, issuer, billTo.apply(tenant));
  }

  /** A rendering of an invoice. */
  public enum Format {
    /** {@code application/json}. */
    JSON(InvoiceRenderer.json()),
    /** {@code text/html}. */
    HTML(InvoiceRenderer.html()),
    /** {@code application/pdf}. */
    PDF(InvoiceRenderer.pdf());

    private final InvoiceRenderer renderer;

    Format(InvoiceRenderer renderer) {
      this.renderer = renderer;
    }

    /** The media type of the rendering. */
    public String mediaType() {
      return renderer.mediaType();
    }
  }

  // ---- operator ------------------------------------------------------------------------------

  /**
   * Starts (or resumes) the billing run of {@code month} on the executor and returns its record as
   * stored when it was handed over; read its progress with {@link #run(String)}. The record is
   * stored before the run starts so that its id can be answered at once; {@link BillingRunner#run}
   * resumes it.
   *
   * @throws IllegalStateException if this facade was closed (and owns the run thread)
   */
  public BillingRunRecord startRun(YearMonth month) {
    return operator.startRun(month);
  }

  /** The progress of run {@code id}, if there is one. */
  public Optional<BillingRunRecord> run(String id) {
    return runner.progress(id);
  }

  /** Finalizes the run drafts whose grace period is over ({@link BillingRunner#finalizeDue}). */
  public int finalizeDue() {
    return runner.finalizeDue(clock.instant());
  }

  /** Invoices of every tenant, by tenant and id, after {@code after} (null for the first). */
  public List<Invoice> allInvoices(InvoiceFilter filter, InvoiceKey after, int limit) {
    return store.allInvoices(filter, after, limit);
  }

  /**
   * Voids one of the tenant's invoices; a voided invoice is regenerated as a new draft.
   *
   * @throws NotFoundException as {@link #invoice}
   * @throws InvoiceStateException if the invoice cannot be voided from its status or changed
   *     meanwhile
   */
  public Invoice voidInvoice(TenantId tenant, String id) {
    return operator.voidInvoice(tenant, id);
  }

  /**
   * Issues and stores a credit note against one of the tenant's invoices ({@link
   * CreditNotes#issue}).
   *
   * @throws NotFoundException as {@link #invoice}
   * @throws InvoiceStateException if the invoice is a draft or void, or a refund is asked of an
   *     unpaid invoice
   * @throws InvalidInputException as {@link CreditNotes#issue}
   */
  public CreditNote issueCreditNote(TenantId tenant, String invoiceId, CreditNoteRequest request) {
    return operator.issueCreditNote(tenant, invoiceId, request);
  }

  /** The credit notes issued against one of the tenant's invoices. */
  public List<CreditNote> creditNotes(TenantId tenant, String invoiceId) {
    return operator.creditNotes(tenant, invoiceId);
  }

  /** The operator's revenue reports over the store, by month in UTC. */
  public RevenueReports reports() {
    return operator.reports();
  }

  /** The clock this facade reads "now" from. */
  public InstantSource clock() {
    return clock;
  }

  /** What removes a tenant's billing data; register it with the tenant service. */
  public TenantPurger purger() {
    return store;
  }

  /** Stops the run thread this facade started, if any; a running run stops at its next tenant. */
  @Override
  public void close() {
    operator.close();
  }

  /** Builder of {@link Billing}. Not thread-safe. */
  public static final class Builder {
    private BillingStore store;
    private PlanVersionStore plans;
    private PriceCatalog catalog;
    private UsageQueries usage;
    private Issuer issuer;
    private InstantSource clock = InstantSource.system();
    private TaxRate taxRate = TaxRate.DEFAULT;
    private Function<TenantId, TaxRate> taxRates;
    private Function<TenantId, BillTo> billTo = t -> new BillTo(t.value(), List.of(), "", "");
    private Duration grace = BillingRunner.DEFAULT_GRACE;
    private MeterRegistry registry;
    private Executor executor;
    private TenantService tenants;

    private Builder() {}

    /**
     * The tenants, whose plan {@link Billing#changePlan} sets to the plan chosen after it stores
     * the subscription, so that the tenant record and the subscription agree; optional (without it,
     * the host keeps the tenant's plan itself).
     */
    public Builder tenants(TenantService tenants) {
      this.tenants = Objects.requireNonNull(tenants, "tenants");
      return this;
    }

    /** Where subscriptions, invoices, credit notes and runs are stored (required). */
    public Builder store(BillingStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Where plan versions are published (required). */
    public Builder plans(PlanVersionStore plans) {
      this.plans = Objects.requireNonNull(plans, "plans");
      return this;
    }

    /** The price catalog: the plans one may subscribe to and their limits (required). */
    public Builder catalog(PriceCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** Metering's usage queries, which usage charges read (required). */
    public Builder usage(UsageQueries usage) {
      this.usage = Objects.requireNonNull(usage, "usage");
      return this;
    }

    /** Who issues the invoices (required). */
    public Builder issuer(Issuer issuer) {
      this.issuer = Objects.requireNonNull(issuer, "issuer");
      return this;
    }

    /** The clock for "now"; default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The tax rate of every tenant; default {@link TaxRate#DEFAULT} (10%). */
    public Builder taxRate(TaxRate rate) {
      this.taxRate = Objects.requireNonNull(rate, "rate");
      return this;
    }

    /** The tax rate per tenant, overriding {@link #taxRate}. */
    public Builder taxRates(Function<TenantId, TaxRate> rates) {
      this.taxRates = Objects.requireNonNull(rates, "rates");
      return this;
    }

    /** The billed details per tenant on renderings; default the tenant id as the name. */
    public Builder billTo(Function<TenantId, BillTo> billTo) {
      this.billTo = Objects.requireNonNull(billTo, "billTo");
      return this;
    }

    /**
     * How long run drafts stay open after their period; default {@link
     * BillingRunner#DEFAULT_GRACE}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder grace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("grace must not be negative");
      }
      this.grace = grace;
      return this;
    }

    /** Where run meters are registered; default none. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Where {@link Billing#startRun} runs; default one daemon thread owned by the facade and
     * stopped by {@link Billing#close()}.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the facade.
     *
     * @throws IllegalStateException if a required part is missing
     */
    public Billing build() {
      if (store == null || plans == null || catalog == null || usage == null || issuer == null) {
        throw new IllegalStateException(
            "Billing needs a store, plans, a catalog, usage and an issuer");
      }
      return new Billing(this);
    }
  }
}
