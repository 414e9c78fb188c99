package dev.tenantkit.billing;

import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.report.RevenueReports;
import dev.tenantkit.billing.run.BillingRunner;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.TenantId;
import java.time.InstantSource;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of {@link Billing}: billing runs on their executor, voids, credit notes and
 * revenue reports. Thread-safe; owns the run thread unless given an executor.
 */
final class BillingOperator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BillingOperator.class);

  private final BillingStore store;
  private final PlanVersionStore plans;
  private final BillingRunner runner;
  private final InstantSource clock;
  private final Executor executor;
  private final ExecutorService ownExecutor;

  BillingOperator(
      BillingStore store,
      PlanVersionStore plans,
      BillingRunner runner,
      InstantSource clock,
      Executor executor) {
    this.store = store;
    this.plans = plans;
    this.runner = runner;
    this.clock = clock;
    if (executor != null) {
      this.executor = executor;
      this.ownExecutor = null;
    } else {
      this.ownExecutor =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "tenantkit-billing-run");
                t.setDaemon(true);
                return t;
              });
      this.executor = ownExecutor;
    }
  }

  /** {@link Billing#startRun}. */
  BillingRunRecord startRun(YearMonth month) {
    Objects.requireNonNull(month, "month");
    if (ownExecutor != null && ownExecutor.isShutdown()) {
      throw new IllegalStateException("billing is closed");
    }
    BillingRunRecord rec =
        store
            .latestRun(month.toString())
            .map(Versioned::value)
            .filter(r -> r.status() != BillingRunRecord.Status.COMPLETED)
            .orElseGet(
                () ->
                    store
                        .insertRun(
                            BillingRunRecord.started(
                                UUID.randomUUID().toString(),
                                month.toString(),
                                "billing",
                                clock.instant()))
                        .value());
    executor.execute(
        () -> {
          try {
            runner.run(month);
          } catch (RuntimeException e) {
            LOG.error("billing run of {} failed", month, e);
          }
        });
    return rec;
  }

  /** {@link Billing#voidInvoice}. */
  Invoice voidInvoice(TenantId tenant, String id) {
    Versioned<Invoice> current = requireInvoice(store, tenant, id);
    current.value().status().transitionTo(InvoiceStatus.VOID);
    Invoice voided =
        store
            .changeStatus(tenant, id, current.version(), InvoiceStatus.VOID)
            .orElseThrow(() -> new InvoiceStateException("invoice " + id + " changed meanwhile"))
            .value();
    LOG.info("operator voided invoice {} of tenant {}", id, tenant);
    return voided;
  }

  /** {@link Billing#issueCreditNote}. */
  CreditNote issueCreditNote(TenantId tenant, String invoiceId, CreditNoteRequest request) {
    Invoice invoice = requireInvoice(store, tenant, invoiceId).value();
    List<CreditNote> earlier = store.creditNotes(tenant, invoiceId);
    CreditNote note = CreditNotes.issue(invoice, earlier, request);
    store.insertCreditNote(note, earlier.size());
    LOG.info("operator issued credit note {} on invoice {} of {}", note.id(), invoiceId, tenant);
    return note;
  }

  /** {@link Billing#creditNotes}. */
  List<CreditNote> creditNotes(TenantId tenant, String invoiceId) {
    requireInvoice(store, tenant, invoiceId);
    return store.creditNotes(tenant, invoiceId);
  }

  /** {@link Billing#reports}. */
  RevenueReports reports() {
    return RevenueReports.of(store, plans).withZone(ZoneOffset.UTC);
  }

  @Override
  public void close() {
    if (ownExecutor != null) {
      ownExecutor.shutdownNow();
    }
  }

  /** The tenant's invoice {@code id}; another tenant's id is not found. */
  static Versioned<Invoice> requireInvoice(BillingStore store, TenantId tenant, String id) {
    if (id == null || id.isBlank() || id.length() > 64) {
      throw new NotFoundException("no invoice '" + id + "'");
    }
    return store
        .invoice(tenant, id)
        .orElseThrow(() -> new NotFoundException("no invoice '" + id + "'"));
  }
}
