package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.internal.StoreArguments;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.spi.DraftInsert;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcJobLeases;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.jdbc.JdbcStoreBuilder;
import dev.tenantkit.tenancy.jobs.JobLeases;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Billing's data in H2 (PostgreSQL mode) or PostgreSQL, shared by every application instance on the
 * database.
 *
 * <pre>{@code
 * BillingStore store = JdbcBillingStore.builder(dataSource).build(); // migrates on build
 * }</pre>
 *
 * <p>Tenant-scoped work runs in {@link JdbcStorage#inTenantTransaction}, and on PostgreSQL is also
 * confined to its tenant by row-level security; the operator's listings run in {@link
 * JdbcStorage#inAllTenantsTransaction}. A draft's idempotency key is a unique constraint {@code
 * (tenant_id, idempotency_key)}; finalization takes the next number of the issuer's sequence for
 * the year under the sequence row's lock and stores the invoice in the same transaction, so a
 * number is burnt only with an invoice. Values are stored as JSON documents beside the columns
 * queries need (see docs/billing.md, "Storage"). Migrations are the module {@value #MODULE}
 * (history table {@code tenantkit_billing_schema_history}), after tenancy-core's.
 *
 * <p>A facade over one package-private class per job: {@code SubscriptionRows}, {@code
 * InvoiceRows}, {@code CreditRows}, {@code RunRows}. Thread-safe.
 */
public final class JdbcBillingStore implements BillingStore {
  /** The migration module name: history table {@code tenantkit_billing_schema_history}. */
  public static final String MODULE = "billing";

  /** Migrations that run on both databases. */
  public static final String COMMON_LOCATION = "classpath:dev/tenantkit/billing/db/common";

  /** Migrations for one database; {@code {vendor}} is {@code h2} or {@code postgresql}. */
  public static final String VENDOR_LOCATION = "classpath:dev/tenantkit/billing/db/{vendor}";

  private static final List<String> TENANT_TABLES =
      List.of(
          "tenantkit_billing_ledger",
          "tenantkit_billing_balances",
          "tenantkit_billing_credit_notes",
          "tenantkit_billing_invoices",
          "tenantkit_billing_subscriptions");

  private final JdbcStorage storage;
  private final SubscriptionRows subscriptions;
  private final InvoiceRows invoices;
  private final CreditRows credits;
  private final JobLeases leases;
  private final RunRows runs;

  private JdbcBillingStore(JdbcStorage storage, InstantSource clock) {
    this.storage = storage;
    this.subscriptions = new SubscriptionRows(storage);
    this.invoices = new InvoiceRows(storage);
    this.credits = new CreditRows(storage, clock);
    this.leases = JdbcJobLeases.of(storage);
    this.runs = new RunRows(storage);
  }

  /** A builder over {@code dataSource}, an H2 or PostgreSQL data source (usually a pool). */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** The storage base this store runs on. */
  public JdbcStorage storage() {
    return storage;
  }

  @Override
  public Versioned<Subscription> insertSubscription(Subscription subscription) {
    return subscriptions.insert(Objects.requireNonNull(subscription, "subscription"));
  }

  @Override
  public Optional<Versioned<Subscription>> subscription(TenantId tenant) {
    return subscriptions.find(tenant);
  }

  @Override
  public Optional<Versioned<Subscription>> updateSubscription(
      Subscription subscription, long expectedVersion) {
    return subscriptions.update(
        Objects.requireNonNull(subscription, "subscription"), expectedVersion);
  }

  @Override
  public List<Subscription> activeSubscriptions(Instant at, TenantId after, int limit) {
    Objects.requireNonNull(at, "at");
    StoreArguments.limit(limit);
    return subscriptions.active(at, after, limit);
  }

  @Override
  public DraftInsert insertDraft(Invoice draft, String key) {
    return invoices.insertDraft(draft, key);
  }

  @Override
  public Optional<Versioned<Invoice>> replaceDraft(Invoice draft, long expectedVersion) {
    if (!draft.isDraft()) {
      throw new InvalidInputException("status", "only a draft replaces a draft");
    }
    return invoices.change(
        draft.tenant(), draft.id(), expectedVersion, current -> current.isDraft() ? draft : null);
  }

  @Override
  public Optional<Versioned<Invoice>> finalizeInvoice(
      TenantId tenant, String id, long expectedVersion, Issuer issuer, LocalDate issued) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(issued, "issued");
    return invoices.finalizeInvoice(
        tenant, id, expectedVersion, issuer, issued, credits::consumeApplied);
  }

  @Override
  public Optional<Versioned<Invoice>> changeStatus(
      TenantId tenant, String id, long expectedVersion, InvoiceStatus target) {
    Objects.requireNonNull(target, "target");
    return invoices.change(tenant, id, expectedVersion, current -> current.moveTo(target));
  }

  @Override
  public Optional<Versioned<Invoice>> invoice(TenantId tenant, String id) {
    return invoices.find(tenant, id);
  }

  @Override
  public Page<Invoice> invoices(TenantId tenant, String cursor, int limit) {
    return invoices.list(tenant, cursor, limit);
  }

  @Override
  public List<Invoice> allInvoices(InvoiceFilter filter, InvoiceKey after, int limit) {
    return invoices.all(Objects.requireNonNull(filter, "filter"), after, limit);
  }

  @Override
  public boolean deleteDraft(TenantId tenant, String id) {
    return invoices.deleteDraft(tenant, id);
  }

  @Override
  public void insertCreditNote(CreditNote note, int priorNotes) {
    credits.insertNote(Objects.requireNonNull(note, "note"), priorNotes);
  }

  @Override
  public List<CreditNote> creditNotes(TenantId tenant, String invoiceId) {
    return credits.notes(tenant, invoiceId);
  }

  @Override
  public Money balance(TenantId tenant, CreditAccount account, Currency currency) {
    return credits.balance(tenant, account, currency);
  }

  @Override
  public boolean credit(TenantId tenant, CreditAccount account, String entryKey, Money amount) {
    return credits.credit(tenant, account, entryKey, amount);
  }

  @Override
  public boolean consume(TenantId tenant, CreditAccount account, String invoiceId, Money amount) {
    return credits.consume(tenant, account, invoiceId, amount);
  }

  @Override
  public Optional<Versioned<Invoice>> invoiceByKey(TenantId tenant, String key) {
    Objects.requireNonNull(tenant, "tenant");
    return invoices.byKey(tenant, key);
  }

  @Override
  public Versioned<BillingRunRecord> insertRun(BillingRunRecord run) {
    return runs.insert(Objects.requireNonNull(run, "run"));
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> run(String id) {
    return runs.find(id);
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> updateRun(
      BillingRunRecord run, long expectedVersion) {
    return runs.update(Objects.requireNonNull(run, "run"), expectedVersion);
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> latestRun(String period) {
    return runs.latest(period);
  }

  @Override
  public JobLeases jobLeases() {
    return leases;
  }

  @Override
  public void purge(TenantId tenant) {
    storage.useTenantTransaction(
        tenant,
        h -> {
          for (String table : TENANT_TABLES) {
            h.createUpdate("delete from " + table + " where tenant_id = :tenant")
                .bind("tenant", tenant.value())
                .execute();
          }
        });
  }

  /**
   * Builder of {@link JdbcBillingStore}: the options of {@link JdbcStoreBuilder} (the migrate
   * switch applies tenancy-core's migrations, then module {@value JdbcBillingStore#MODULE}), and
   * the clock that dates ledger entries. Not thread-safe.
   */
  public static final class Builder extends JdbcStoreBuilder<Builder> {
    private Builder(DataSource dataSource) {
      super(dataSource, MODULE, COMMON_LOCATION, VENDOR_LOCATION);
    }

    /** The clock that dates ledger entries; the system clock unless set. */
    public Builder clock(InstantSource clock) {
      return useClock(clock);
    }

    /**
     * Detects the database, migrates if asked to, and builds the store.
     *
     * @throws IllegalArgumentException if the database is neither H2 nor PostgreSQL
     * @throws IllegalStateException if no connection can be opened
     * @throws org.flywaydb.core.api.FlywayException if a migration fails
     */
    public JdbcBillingStore build() {
      return new JdbcBillingStore(storage(), clock());
    }
  }
}
