package dev.tenantkit.billing.run;

import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.invoice.TaxRate;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLease;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Billing runs: bills every active subscription's period that ended by a month's cut-off, once,
 * resumably, on any number of instances; then finalizes the drafts whose grace period is over.
 *
 * <pre>{@code
 * BillingRunner runner = BillingRunner.builder(store, planVersions, biller, issuer)
 *     .clock(clock).meterRegistry(registry).build();
 * runner.run(YearMonth.of(2026, 3));          // drafts, one per subscription and period
 * runner.finalizeDue(clock.instant());        // after the grace period: refresh, then number
 * }</pre>
 *
 * <ul>
 *   <li><b>Once.</b> Each invoice is stored under the idempotency key {@code sub:<tenant>:<period
 *       start>:period}, unique per tenant in the store: a re-run, an overlapping resumption or a
 *       second instance creates nothing twice.
 *   <li><b>One instance at a time.</b> A run takes the job lease {@value #LEASE} ({@link
 *       JobLease#tryAcquire()} once) and renews it before each tenant, stopping at the first failed
 *       renewal; an instance that finds the lease held does nothing.
 *   <li><b>Resumable, streaming.</b> Subscriptions are read a page at a time by tenant id ({@link
 *       BillingStore#activeSubscriptions}); after each tenant the run's record ({@link
 *       BillingRunRecord}) is saved with that tenant as its cursor. A run that stopped (crash, lost
 *       lease, failure) is resumed by the next {@link #run} of its month, after its cursor.
 *   <li><b>Grace, then final.</b> Drafts stay open for the grace period after their period's end
 *       (default {@link #DEFAULT_GRACE}, as Lago's example); {@link #finalizeDue} then re-bills
 *       each with the usage and balances of the moment, replaces the draft (compare-and-set) and
 *       finalizes it, the number allocated in the finalizing transaction.
 *   <li><b>Late usage.</b> Usage of a finalized period read when the next period is billed is a
 *       correction line on the next invoice ({@link Corrections}), found through the finalized
 *       invoice's idempotency key.
 * </ul>
 *
 * <p>A tenant that cannot be billed (no such plan version, a plan that no longer matches) stops the
 * run as {@link BillingRunRecord.Status#FAILED} with the reason, its cursor before that tenant: no
 * tenant is skipped silently, and the run resumes there once fixed.
 *
 * <p>Meters (with a registry): counter {@value RunMeters#INVOICES} tagged {@code outcome=created,
 * existing, failed}, timer {@value RunMeters#RUNS}, counter {@value RunMeters#FINALIZED}.
 * Thread-safe; it starts no thread (the host calls {@link #run} and {@link #finalizeDue}).
 */
public final class BillingRunner {
  /** The name of the job lease a run takes. */
  public static final String LEASE = "billing-run";

  /** The name of the job lease {@link #finalizeDue} takes. */
  public static final String FINALIZE_LEASE = "billing-finalize";

  /** How long a draft stays open after its period ends unless configured: 3 days. */
  public static final Duration DEFAULT_GRACE = Duration.ofDays(3);

  private static final Logger LOG = LoggerFactory.getLogger(BillingRunner.class);

  private final BillingStore store;
  private final JobLeases leases;
  private final TenantInvoices invoices;
  private final Issuer issuer;
  private final InstantSource clock;
  private final String owner;
  private final Duration leaseTtl;
  private final Duration grace;
  private final int pageSize;
  private final RunMeters meters;

  private BillingRunner(Builder b) {
    this.store = b.store;
    this.leases = b.leases == null ? b.store.jobLeases() : b.leases;
    this.invoices = new TenantInvoices(b.store, b.plans, b.biller, b.taxRates);
    this.issuer = b.issuer;
    this.clock = b.clock;
    this.owner = b.owner;
    this.leaseTtl = b.leaseTtl;
    this.grace = b.grace;
    this.pageSize = b.pageSize;
    this.meters = new RunMeters(b.registry);
  }

  /**
   * A builder: invoices computed by {@code biller} for subscriptions of {@code store} on the plan
   * versions of {@code plans}, finalized as {@code issuer}'s.
   */
  public static Builder builder(
      BillingStore store, PlanVersionStore plans, PeriodBiller biller, Issuer issuer) {
    return new Builder(store, plans, biller, issuer);
  }

  /**
   * Runs (or resumes) the billing run of {@code month}: one draft per subscription whose period
   * ended by the month's cut-off (see {@link RunPeriods}).
   *
   * @return the run's record as this call left it: completed, failed, or running when the lease was
   *     lost (another instance carries on); empty if another instance holds the lease (read its
   *     progress with {@link #latest})
   */
  public Optional<BillingRunRecord> run(YearMonth month) {
    Objects.requireNonNull(month, "month");
    JobLease lease = JobLease.of(leases, LEASE, owner, leaseTtl, clock);
    if (!lease.tryAcquire()) {
      return Optional.empty();
    }
    Instant started = clock.instant();
    try {
      return Optional.of(walk(month, lease));
    } finally {
      Duration took = Duration.between(started, clock.instant());
      meters.run(took);
      lease.release(new JobRun(started, took, owner));
    }
  }

  private BillingRunRecord walk(YearMonth month, JobLease lease) {
    String period = month.toString();
    Versioned<BillingRunRecord> rec =
        store
            .latestRun(period)
            .filter(v -> v.value().status() != BillingRunRecord.Status.COMPLETED)
            .flatMap(v -> store.updateRun(v.value().resumedBy(owner), v.version()))
            .orElseGet(
                () ->
                    store.insertRun(
                        BillingRunRecord.started(
                            UUID.randomUUID().toString(), period, owner, clock.instant())));
    // Subscriptions that ended over a year before the cut-off have no period left to bill.
    Instant active = month.minusMonths(12).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    TenantId cursor = rec.value().cursor();
    while (true) {
      List<Subscription> page = store.activeSubscriptions(active, cursor, pageSize);
      for (Subscription s : page) {
        if (!lease.tryRenew()) {
          LOG.info("billing run {} lost its lease after {}", rec.value().id(), cursor);
          return rec.value();
        }
        int created;
        try {
          created = billOne(s, month);
        } catch (RuntimeException e) {
          meters.invoice("failed");
          LOG.error("billing run {} failed at tenant {}", rec.value().id(), s.tenant().value(), e);
          String why = "tenant " + s.tenant().value() + ": " + e.getMessage();
          return save(rec, rec.value().finished(clock.instant(), why)).value();
        }
        Optional<Versioned<BillingRunRecord>> saved =
            store.updateRun(rec.value().after(s.tenant(), created), rec.version());
        if (saved.isEmpty()) {
          // Another instance took the run over (this one's lease had expired): it carries on.
          return store.run(rec.value().id()).map(Versioned::value).orElse(rec.value());
        }
        rec = saved.get();
        cursor = s.tenant();
      }
      if (page.size() < pageSize) {
        break;
      }
    }
    return save(rec, rec.value().finished(clock.instant(), null)).value();
  }

  private int billOne(Subscription s, YearMonth month) {
    Optional<BillingPeriod> p = RunPeriods.toBill(s, month, clock.instant());
    if (p.isEmpty()) {
      return 0;
    }
    TenantInvoices.Outcome o = invoices.bill(s, p.get());
    meters.invoice(o == TenantInvoices.Outcome.CREATED ? "created" : "existing");
    return o == TenantInvoices.Outcome.CREATED ? 1 : 0;
  }

  private Versioned<BillingRunRecord> save(Versioned<BillingRunRecord> rec, BillingRunRecord next) {
    return store.updateRun(next, rec.version()).orElse(rec);
  }

  /**
   * What the invoice at the end of the period containing {@code now} will be if nothing else is
   * used, computed as this runner will bill it (each plan version for its part, the first period's
   * fees, the corrections of the period before) and with the balances it will apply: the
   * credit-note and wallet balances now, plus the credit notes the period owes (a plan change's
   * unused days, a lowered correction) as if issued. A preview: nothing is stored and no balance is
   * consumed.
   *
   * @param id the preview invoice's id
   * @throws dev.tenantkit.tenancy.InvalidInputException if a plan version of the subscription is
   *     not published or a charge cannot be read
   */
  public UpcomingInvoice upcoming(String id, Subscription s, Instant now) {
    return invoices.upcoming(id, s, now);
  }

  /**
   * The period containing {@code now} so far ({@link PeriodBiller#summary}), each plan version of
   * the subscription's history for its part.
   *
   * @throws dev.tenantkit.tenancy.InvalidInputException as {@link #upcoming}
   */
  public BillingSummary summary(Subscription s, Instant now) {
    return invoices.summary(s, now);
  }

  /** The run {@code id}'s progress, as stored (any instance's run). */
  public Optional<BillingRunRecord> progress(String id) {
    return store.run(id).map(Versioned::value);
  }

  /** The progress of the run of {@code month} started last, if any. */
  public Optional<BillingRunRecord> latest(YearMonth month) {
    return store.latestRun(month.toString()).map(Versioned::value);
  }

  /**
   * Finalizes every run draft whose grace period is over at {@code now}: re-bills it with the usage
   * and balances of the moment, replaces the draft if nobody changed it meanwhile, finalizes it
   * (numbered in the finalizing transaction, issued on {@code now}'s day in the tenant's zone), and
   * takes the credit-note and wallet credit it used from the tenant's balances in that same
   * transaction ({@link BillingStore#finalizeInvoice}); a draft whose balance went down meanwhile
   * is left for the next pass, which re-bills it. Drafts that are not a run's (no run key names
   * them) are left alone.
   *
   * @return how many drafts this call finalized; 0 if another instance holds the lease
   */
  public int finalizeDue(Instant now) {
    Objects.requireNonNull(now, "now");
    JobLease lease = JobLease.of(leases, FINALIZE_LEASE, owner, leaseTtl, clock);
    if (!lease.tryAcquire()) {
      return 0;
    }
    int finalized = 0;
    try {
      InvoiceFilter drafts = InvoiceFilter.ALL.withStatus(InvoiceStatus.DRAFT);
      InvoiceKey after = null;
      while (true) {
        List<Invoice> page = store.allInvoices(drafts, after, pageSize);
        for (Invoice draft : page) {
          if (!lease.tryRenew()) {
            return finalized;
          }
          after = new InvoiceKey(draft.tenant(), draft.id());
          if (finalizeIfDue(draft, now)) {
            finalized++;
            meters.finalized();
          }
        }
        if (page.size() < pageSize) {
          return finalized;
        }
      }
    } finally {
      lease.release();
    }
  }

  private boolean finalizeIfDue(Invoice listed, Instant now) {
    Optional<Subscription> sub = store.subscription(listed.tenant()).map(Versioned::value);
    if (sub.isEmpty()) {
      return false;
    }
    Subscription s = sub.get();
    Optional<Versioned<Invoice>> stored =
        store.invoiceByKey(s.tenant(), RunPeriods.key(s, listed.period().start()));
    if (stored.isEmpty()
        || !stored.get().value().id().equals(listed.id())
        || !stored.get().value().isDraft()) {
      return false;
    }
    BillingPeriod period = s.periods().containing(listed.period().start());
    if (period.endInstant().plus(grace).isAfter(now)) {
      return false;
    }
    Invoice fresh = invoices.compute(listed.id(), s, period);
    Optional<Versioned<Invoice>> replaced = store.replaceDraft(fresh, stored.get().version());
    if (replaced.isEmpty()) {
      return false; // changed meanwhile (another finalizer, an operator): next pass
    }
    try {
      // Numbers the invoice and takes the credit it applied in one transaction.
      return store
          .finalizeInvoice(
              s.tenant(),
              listed.id(),
              replaced.get().version(),
              issuer,
              LocalDate.ofInstant(now, s.zone()))
          .isPresent();
    } catch (ConflictException e) {
      // A balance went down since the draft was computed: nothing was written; the next pass
      // re-bills the draft with the balance then.
      LOG.info(
          "draft {} of {} left for the next pass: {}", listed.id(), s.tenant(), e.getMessage());
      return false;
    }
  }

  /** Builds a {@link BillingRunner}. Not thread-safe. */
  public static final class Builder {
    private final BillingStore store;
    private final PlanVersionStore plans;
    private final PeriodBiller biller;
    private final Issuer issuer;
    private JobLeases leases;
    private InstantSource clock = InstantSource.system();
    private String owner = "billing-" + UUID.randomUUID();
    private Duration leaseTtl = Duration.ofMinutes(5);
    private Duration grace = DEFAULT_GRACE;
    private int pageSize = 100;
    private Function<TenantId, TaxRate> taxRates = t -> TaxRate.DEFAULT;
    private MeterRegistry registry;

    private Builder(
        BillingStore store, PlanVersionStore plans, PeriodBiller biller, Issuer issuer) {
      this.store = Objects.requireNonNull(store, "store");
      this.plans = Objects.requireNonNull(plans, "plans");
      this.biller = Objects.requireNonNull(biller, "biller");
      this.issuer = Objects.requireNonNull(issuer, "issuer");
    }

    /** The clock of the lease, the run's record and what has ended; the system clock unless set. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** This instance's name on the lease and the run's record; a random one unless set. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** Where the leases are kept; the store's {@link BillingStore#jobLeases()} unless set. */
    public Builder leases(JobLeases leases) {
      this.leases = Objects.requireNonNull(leases, "leases");
      return this;
    }

    /** How long the lease holds without renewal (a crashed run blocks others this long); 5 min. */
    public Builder leaseTtl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("the lease's time to live is positive");
      }
      this.leaseTtl = ttl;
      return this;
    }

    /** How long a draft stays open after its period ends; {@link #DEFAULT_GRACE} unless set. */
    public Builder grace(Duration grace) {
      if (grace.isNegative()) {
        throw new IllegalArgumentException("the grace period is not negative");
      }
      this.grace = grace;
      return this;
    }

    /** Subscriptions (and drafts) read per page; 100 unless set. */
    public Builder pageSize(int size) {
      if (size < 1 || size > 10_000) {
        throw new IllegalArgumentException("a page is 1 to 10000");
      }
      this.pageSize = size;
      return this;
    }

    /** Each tenant's tax rate; {@link TaxRate#DEFAULT} (10 percent) for every tenant unless set. */
    public Builder taxRates(Function<TenantId, TaxRate> rates) {
      this.taxRates = Objects.requireNonNull(rates, "rates");
      return this;
    }

    /** Where the meters go; none unless set. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = registry;
      return this;
    }

    /** The runner. */
    public BillingRunner build() {
      return new BillingRunner(this);
    }
  }
}
