package dev.tenantkit.billing.report;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The operator's revenue reports, read from a {@link BillingStore} and the {@link PlanVersionStore}
 * its subscriptions name. Each report streams the store's listings across tenants page by page, so
 * no report holds all invoices or subscriptions in memory: what it keeps is one page and its sums
 * (per currency, plan and month, or per tenant). Every amount is per currency; no two currencies
 * are ever added.
 *
 * <p>Pure given the stores and the instant passed in: no clock is read. The rules (what MRR counts,
 * what revenue is, when an invoice is overdue, what lifetime value subtracts) are in
 * docs/billing.md, "Reports".
 *
 * <p>Thread-safe: an instance keeps no state between calls. A report is not a snapshot: the store
 * may change between two of its pages (a report run while a billing run writes may count an invoice
 * issued during it or not).
 */
public final class RevenueReports {
  /** Page size when none is given. */
  public static final int DEFAULT_PAGE_SIZE = 500;

  /** The plan reported for invoices of a tenant that has no subscription any more. */
  public static final String NO_PLAN = "-";

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
  private static final BigDecimal TWELVE = BigDecimal.valueOf(12);

  private final BillingStore store;
  private final PlanVersionStore plans;
  private final ZoneId zone;
  private final int pageSize;

  private RevenueReports(BillingStore store, PlanVersionStore plans, ZoneId zone, int pageSize) {
    this.store = Objects.requireNonNull(store, "store");
    this.plans = Objects.requireNonNull(plans, "plans");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.pageSize = pageSize;
  }

  /** Reports over these stores, judging overdue in UTC, reading 500 rows a page. */
  public static RevenueReports of(BillingStore store, PlanVersionStore plans) {
    return new RevenueReports(store, plans, ZoneOffset.UTC, DEFAULT_PAGE_SIZE);
  }

  /** These reports with the operator's zone, in which "today" is judged for overdue invoices. */
  public RevenueReports withZone(ZoneId operatorZone) {
    return new RevenueReports(store, plans, operatorZone, pageSize);
  }

  /**
   * These reports reading {@code size} rows per page.
   *
   * @throws InvalidInputException if {@code size} is below 1
   */
  public RevenueReports withPageSize(int size) {
    if (size < 1) {
      throw new InvalidInputException("page_size", "is 1 or more");
    }
    return new RevenueReports(store, plans, zone, size);
  }

  /**
   * MRR and ARR at {@code now}: per currency, the sum over the subscriptions active at {@code now}
   * (started, out of trial, not paused, not ended) of their plan version's flat recurring fees
   * after the charges' own discounts, a yearly fee divided by 12 (12 decimals, half-up). Usage
   * charges, coupons and tax are not counted. The MRR is rounded once at the end; ARR is 12 times
   * the precise MRR, rounded once.
   *
   * @throws NotFoundException if a subscription names a plan version the plan store does not have
   */
  public RecurringRevenue recurringRevenue(Instant now) {
    Objects.requireNonNull(now, "now");
    Map<String, Money> monthly = new TreeMap<>();
    Map<String, Integer> counted = new HashMap<>();
    Map<String, Money> feeByVersion = new HashMap<>();
    int trialing = 0;
    int paused = 0;
    TenantId after = null;
    while (true) {
      List<Subscription> page = store.activeSubscriptions(now, after, pageSize);
      for (Subscription s : page) {
        switch (s.status(now)) {
          case TRIAL -> trialing++;
          case PAUSED -> paused++;
          case ACTIVE -> {
            Money fee =
                feeByVersion.computeIfAbsent(
                    s.planId() + " v" + s.planVersion(), k -> monthlyFee(s));
            String code = fee.currency().getCurrencyCode();
            monthly.merge(code, fee, Money::plus);
            counted.merge(code, 1, Integer::sum);
          }
          case FUTURE, CANCELED -> {
            // not yet, or no longer, recurring
          }
        }
      }
      if (page.size() < pageSize) {
        break;
      }
      after = page.get(page.size() - 1).tenant();
    }
    List<CurrencyRecurring> rows = new ArrayList<>();
    monthly.forEach(
        (code, m) ->
            rows.add(
                new CurrencyRecurring(m.rounded(), m.times(TWELVE).rounded(), counted.get(code))));
    return new RecurringRevenue(now, rows, trialing, paused);
  }

  private Money monthlyFee(Subscription s) {
    PlanVersion v =
        plans
            .get(s.planId(), s.planVersion())
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "plan " + s.planId() + " v" + s.planVersion() + " of " + s.tenant()));
    return v.prices().monthlyFee();
  }

  /**
   * Revenue by month and by plan, from {@code from} to {@code to}: per currency, the sum of the
   * issued invoices' totals before tax ({@link Invoice#subtotal()} less {@link
   * Invoice#discountTotal()}), by the month of their issue date, with the change against the month
   * before (also for {@code from}, against the month before it). Every issued status counts (sent,
   * paid, uncollectible too) but void; drafts are not revenue. An invoice's plan is its tenant's
   * plan now ({@link #NO_PLAN} when the tenant has no subscription): invoices do not name a plan.
   *
   * @throws InvalidInputException if {@code to} is before {@code from}
   */
  public MonthlyRevenue monthlyRevenue(YearMonth from, YearMonth to) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (to.isBefore(from)) {
      throw new InvalidInputException("to", "the last month is not before the first");
    }
    YearMonth before = from.minusMonths(1);
    MonthlySums totals = new MonthlySums();
    Map<String, MonthlySums> byPlan = new TreeMap<>();
    TenantPlan tenantPlan = new TenantPlan();
    forEachInvoice(
        InvoiceFilter.ALL,
        inv -> {
          if (!inv.status().isIssued() || inv.status() == InvoiceStatus.VOID) {
            return;
          }
          YearMonth month = YearMonth.from(inv.issueDate());
          if (month.isBefore(before) || month.isAfter(to)) {
            return;
          }
          Money net = inv.subtotal().minus(inv.discountTotal());
          totals.add(month, net);
          byPlan
              .computeIfAbsent(tenantPlan.of(inv.tenant()), p -> new MonthlySums())
              .add(month, net);
        });
    List<MonthRevenue> totalRows = totals.rows(Optional.empty(), from, to);
    List<MonthRevenue> planRows = new ArrayList<>();
    byPlan.forEach((plan, sums) -> planRows.addAll(sums.rows(Optional.of(plan), from, to)));
    return new MonthlyRevenue(from, to, totalRows, planRows);
  }

  /**
   * Open and overdue amounts at {@code now}: per currency, the amount due of every finalized or
   * sent invoice, and of those the ones overdue ({@link Invoice#isOverdue}) on the day {@code now}
   * falls on in the operator's zone. Paid, void and uncollectible invoices are not open.
   */
  public Receivables receivables(Instant now) {
    LocalDate today = LocalDate.ofInstant(Objects.requireNonNull(now, "now"), zone);
    Map<String, OpenAmounts> byCode = new TreeMap<>();
    for (InvoiceStatus status : List.of(InvoiceStatus.FINALIZED, InvoiceStatus.SENT)) {
      forEachInvoice(
          InvoiceFilter.ALL.withStatus(status),
          inv -> {
            Money zero = Money.zero(inv.currency());
            boolean overdue = inv.isOverdue(today);
            byCode.merge(
                inv.currency().getCurrencyCode(),
                new OpenAmounts(
                    inv.amountDue(), 1, overdue ? inv.amountDue() : zero, overdue ? 1 : 0),
                (a, b) ->
                    new OpenAmounts(
                        a.open().plus(b.open()),
                        a.openInvoices() + b.openInvoices(),
                        a.overdue().plus(b.overdue()),
                        a.overdueInvoices() + b.overdueInvoices()));
          });
    }
    return new Receivables(today, List.copyOf(byCode.values()));
  }

  /**
   * Every tenant's lifetime value, one tenant at a time in the store's order of tenant ids, passed
   * to {@code sink} as soon as its invoices are read: per currency, the amount due of its paid
   * invoices less the totals of the refund credit notes against them. A tenant that never paid an
   * invoice is not passed.
   */
  public void lifetimeValues(Consumer<LifetimeValue> sink) {
    Objects.requireNonNull(sink, "sink");
    TenantValueSum current = new TenantValueSum();
    forEachInvoice(
        InvoiceFilter.ALL.withStatus(InvoiceStatus.PAID),
        inv -> {
          if (current.tenant != null && !current.tenant.equals(inv.tenant())) {
            sink.accept(current.value());
            current.sums.clear();
          }
          current.tenant = inv.tenant();
          current.add(inv);
        });
    if (current.tenant != null) {
      sink.accept(current.value());
    }
  }

  /** One tenant's lifetime value, as {@link #lifetimeValues}; empty amounts if it never paid. */
  public LifetimeValue lifetimeValue(TenantId tenant) {
    TenantValueSum sum = new TenantValueSum();
    sum.tenant = Objects.requireNonNull(tenant, "tenant");
    String cursor = null;
    do {
      Page<Invoice> page = store.invoices(tenant, cursor, pageSize);
      for (Invoice inv : page.items()) {
        if (inv.status() == InvoiceStatus.PAID) {
          sum.add(inv);
        }
      }
      cursor = page.nextCursor();
    } while (cursor != null);
    return sum.value();
  }

  private void forEachInvoice(InvoiceFilter filter, Consumer<Invoice> each) {
    InvoiceKey after = null;
    while (true) {
      List<Invoice> page = store.allInvoices(filter, after, pageSize);
      page.forEach(each);
      if (page.size() < pageSize) {
        return;
      }
      Invoice last = page.get(page.size() - 1);
      after = new InvoiceKey(last.tenant(), last.id());
    }
  }

  /** The plan of the tenant of the invoices being read; invoices come grouped by tenant. */
  private final class TenantPlan {
    private TenantId tenant;
    private String plan;

    String of(TenantId t) {
      if (!t.equals(tenant)) {
        tenant = t;
        plan = store.subscription(t).map(v -> v.value().planId()).orElse(NO_PLAN);
      }
      return plan;
    }
  }

  /** One tenant's sums per currency while its paid invoices are read. */
  private final class TenantValueSum {
    private final Map<String, Money> sums = new TreeMap<>();
    private TenantId tenant;

    void add(Invoice paid) {
      Money value = paid.amountDue();
      for (CreditNote note : store.creditNotes(paid.tenant(), paid.id())) {
        if (note.method() == CreditNoteMethod.REFUND) {
          value = value.minus(note.total());
        }
      }
      sums.merge(paid.currency().getCurrencyCode(), value, Money::plus);
    }

    LifetimeValue value() {
      return new LifetimeValue(tenant, List.copyOf(sums.values()));
    }
  }

  /** Sums per currency and month, and their rows with the change against the month before. */
  private static final class MonthlySums {
    private final Map<String, Map<YearMonth, Money>> byCurrency = new TreeMap<>();

    void add(YearMonth month, Money amount) {
      byCurrency
          .computeIfAbsent(amount.currency().getCurrencyCode(), c -> new HashMap<>())
          .merge(month, amount, Money::plus);
    }

    List<MonthRevenue> rows(Optional<String> plan, YearMonth from, YearMonth to) {
      List<MonthRevenue> rows = new ArrayList<>();
      for (Map<YearMonth, Money> months : byCurrency.values()) {
        Money zero = Money.zero(months.values().iterator().next().currency());
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
          Money amount = months.getOrDefault(m, zero);
          Money previous = months.getOrDefault(m.minusMonths(1), zero);
          Money change = amount.minus(previous);
          Optional<BigDecimal> percent =
              previous.isZero()
                  ? Optional.empty()
                  : Optional.of(
                      change
                          .amount()
                          .multiply(HUNDRED)
                          .divide(previous.amount(), 1, RoundingMode.HALF_UP));
          rows.add(new MonthRevenue(m, plan, amount.rounded(), change.rounded(), percent));
        }
      }
      return rows;
    }
  }
}
