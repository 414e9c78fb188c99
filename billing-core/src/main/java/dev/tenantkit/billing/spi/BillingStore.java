package dev.tenantkit.billing.spi;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.spi.TenantPurger;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

/**
 * Where billing keeps subscriptions, invoices, credit notes and credit balances. Minimal
 * primitives: the rules (what an invoice holds, which transitions are allowed, what a credit note
 * may credit) are in the billing core and its value types; a store only keeps values, numbers
 * invoices and makes the few steps that must be atomic atomic.
 *
 * <p>Every tenant-scoped method names its tenant and sees that tenant's rows only: another tenant's
 * invoice id is "not found" (an empty result or {@link NotFoundException}), never a different
 * answer. The operator's listings ({@link #activeSubscriptions}, {@link #allInvoices}) read across
 * tenants and change nothing.
 *
 * <p>Compare-and-set: values come back as {@link Versioned}; a change names the version it was
 * computed from and is applied only if the row still has it. A change that finds another version
 * (or no row) writes nothing and returns an empty result or {@code false}; the caller reads again.
 *
 * <p>Implementations are thread-safe, and every method is atomic, also across processes sharing a
 * database: the idempotency key of a draft and the invoice number are unique in the data (a unique
 * constraint, a counter row locked in the finalizing transaction), not only in code. Every backend
 * passes {@code BillingStoreContract} from billing-core's test-jar.
 */
public interface BillingStore extends TenantPurger {

  // ---- subscriptions -------------------------------------------------------------------------

  /**
   * Stores a tenant's subscription, at version 1.
   *
   * @throws ConflictException if the tenant already has one (replace it with {@link
   *     #updateSubscription})
   */
  Versioned<Subscription> insertSubscription(Subscription subscription);

  /** The tenant's current subscription, or empty when it has none. */
  Optional<Versioned<Subscription>> subscription(TenantId tenant);

  /**
   * Replaces the tenant's subscription if it is still at {@code expectedVersion}.
   *
   * @return the stored value at the next version, or empty if the row has another version or none
   */
  Optional<Versioned<Subscription>> updateSubscription(
      Subscription subscription, long expectedVersion);

  /**
   * The operator's read for billing runs: subscriptions not ended at {@code at} ({@link
   * Subscription#endsAt()} empty or after it), by tenant id, after {@code after}.
   *
   * @param after the last tenant of the previous page, or {@code null} for the first page
   * @param limit the most to return, 1 or more
   * @return up to {@code limit} subscriptions in the store's order of tenant ids
   */
  List<Subscription> activeSubscriptions(Instant at, TenantId after, int limit);

  // ---- invoices ------------------------------------------------------------------------------

  /**
   * Stores a draft under an idempotency key unique per tenant (a billing run uses {@code
   * sub:<tenant's subscription>:<period start>:<kind>}). If the tenant already has an invoice under
   * this key (in any status), nothing is written and that invoice is returned: a billing run
   * repeated, or run on two instances at once, stores one invoice.
   *
   * @param key 1 to 200 characters
   * @throws InvalidInputException if the invoice is not a draft or the key is invalid
   * @throws ConflictException if the tenant has an invoice with this id under another key
   */
  DraftInsert insertDraft(Invoice draft, String key);

  /**
   * Replaces a draft (late usage, a recalculation) if it is still a draft at {@code
   * expectedVersion}.
   *
   * @return the stored draft at the next version, or empty if the invoice is not found, not a draft
   *     any more, or at another version
   * @throws InvalidInputException if {@code draft} is not a draft
   */
  Optional<Versioned<Invoice>> replaceDraft(Invoice draft, long expectedVersion);

  /**
   * Finalizes a draft: allocates the next number of {@code issuer}'s sequence for the year of
   * {@code issued} (gap-free, from 1 each year), stores the finalized invoice, and takes what it
   * applied of the tenant's balances ({@link Invoice#creditNotesApplied()} from {@link
   * CreditAccount#CREDIT_NOTES}, {@link Invoice#prepaidCreditsApplied()} from {@link
   * CreditAccount#WALLET}, as {@link #consume} does: once per invoice and account), all in one
   * transaction: a number is used if and only if an invoice holds it, and a finalized invoice has
   * always taken its credit (a crash cannot leave it to be spent again).
   *
   * @return the finalized invoice, or empty if the tenant has no invoice {@code id} at {@code
   *     expectedVersion}
   * @throws InvoiceStateException if the invoice is not a draft; nothing is written
   * @throws ConflictException if a balance is less than the invoice applies (it changed since the
   *     draft was computed: compute it again); nothing is written
   */
  Optional<Versioned<Invoice>> finalizeInvoice(
      TenantId tenant, String id, long expectedVersion, Issuer issuer, LocalDate issued);

  /**
   * Moves an issued invoice to {@code target} (sent, paid, void, uncollectible) by {@link
   * Invoice#moveTo}.
   *
   * @return the invoice at the next version, or empty if the tenant has no invoice {@code id} at
   *     {@code expectedVersion}
   * @throws InvoiceStateException if the transition is not allowed; nothing is written
   */
  Optional<Versioned<Invoice>> changeStatus(
      TenantId tenant, String id, long expectedVersion, InvoiceStatus target);

  /** The tenant's invoice {@code id}, or empty (also when another tenant has that id). */
  Optional<Versioned<Invoice>> invoice(TenantId tenant, String id);

  /**
   * The tenant's invoices, newest first: by period start, then id, both descending.
   *
   * @param cursor {@link Page#nextCursor()} of the previous page, or {@code null}
   * @param limit the most per page, 1 or more
   * @throws InvalidInputException if the cursor is not one this store returned
   */
  Page<Invoice> invoices(TenantId tenant, String cursor, int limit);

  /**
   * The operator's read across tenants: invoices matching {@code filter}, by tenant id and then
   * invoice id, after {@code after}.
   *
   * @param after the key of the last invoice of the previous page, or {@code null}
   * @param limit the most to return, 1 or more
   */
  List<Invoice> allInvoices(InvoiceFilter filter, InvoiceKey after, int limit);

  /**
   * Deletes a draft; its idempotency key is free again.
   *
   * @return whether a draft was deleted ({@code false} if none, or the invoice is issued)
   */
  boolean deleteDraft(TenantId tenant, String id);

  /**
   * The tenant's invoice stored under idempotency key {@code key} (by {@link #insertDraft}), in
   * whatever status, or empty. A billing run finds the finalized invoice of the period before by
   * it.
   */
  Optional<Versioned<Invoice>> invoiceByKey(TenantId tenant, String key);

  // ---- credit notes and balances -------------------------------------------------------------

  /**
   * Stores a credit note against one of its tenant's invoices and, if it is credited back, adds its
   * total to the tenant's {@link CreditAccount#CREDIT_NOTES} balance in the same transaction.
   *
   * <p>A note is decided against the invoice's earlier notes (what is left to credit), so it is
   * stored only if the invoice still has exactly {@code priorNotes} of them, checked under a lock
   * on the invoice: two notes decided at once against the same earlier notes can never both be
   * stored and together credit more than the invoice.
   *
   * @param priorNotes how many notes the invoice had when {@code note} was decided
   * @throws NotFoundException if the tenant has no invoice {@link CreditNote#invoiceId()}
   * @throws ConflictException if the tenant has a credit note with this id
   * @throws dev.tenantkit.billing.invoice.InvoiceStateException if the invoice has had another
   *     number of notes since (decide the note again)
   */
  void insertCreditNote(CreditNote note, int priorNotes);

  /** The tenant's credit notes against invoice {@code invoiceId}, in the order they were stored. */
  List<CreditNote> creditNotes(TenantId tenant, String invoiceId);

  /** The tenant's balance of {@code account} in {@code currency} (zero when never credited). */
  Money balance(TenantId tenant, CreditAccount account, Currency currency);

  /**
   * Adds {@code amount} to a balance (a wallet grant or purchase) once per {@code entryKey}.
   *
   * @return whether it was added; {@code false} if an entry with this key exists (nothing written)
   * @throws InvalidInputException if the amount is not positive or the key is invalid
   */
  boolean credit(TenantId tenant, CreditAccount account, String entryKey, Money amount);

  /**
   * Takes {@code amount} from a balance for invoice {@code invoiceId}, once per invoice and
   * account.
   *
   * @return whether it was taken; {@code false} if this invoice already took from the account
   *     (nothing written, whatever the amount)
   * @throws InvalidInputException if the amount is not positive, or more than the balance (nothing
   *     written)
   */
  boolean consume(TenantId tenant, CreditAccount account, String invoiceId, Money amount);

  // ---- billing runs --------------------------------------------------------------------------

  /**
   * Stores a new billing run's record, at version 1. Run records are the operator's, not a
   * tenant's: every instance reads them, and a purge leaves them.
   *
   * @throws ConflictException if a run with this id exists
   */
  Versioned<BillingRunRecord> insertRun(BillingRunRecord run);

  /** The run {@code id}, or empty. */
  Optional<Versioned<BillingRunRecord>> run(String id);

  /**
   * Replaces a run's record if it is still at {@code expectedVersion}.
   *
   * @return the stored record at the next version, or empty if the run is at another version or not
   *     found
   */
  Optional<Versioned<BillingRunRecord>> updateRun(BillingRunRecord run, long expectedVersion);

  /** The run of {@code period} started last (by start, then id), or empty when none was. */
  Optional<Versioned<BillingRunRecord>> latestRun(String period);

  // ---- jobs and purge ------------------------------------------------------------------------

  /** The job leases kept with this store's data, for billing runs. */
  JobLeases jobLeases();

  /**
   * Deletes everything kept for the tenant: subscription, invoices, credit notes, balances. The
   * numbers its invoices held stay used (an issuer's sequence never goes back).
   */
  @Override
  void purge(TenantId tenant);
}
