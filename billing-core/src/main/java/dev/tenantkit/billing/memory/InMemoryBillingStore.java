package dev.tenantkit.billing.memory;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.internal.StoreArguments;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceStateException;
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
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.memory.InMemoryJobLeases;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * A {@link BillingStore} in memory, for tests and single-process use. Thread-safe: every method
 * holds one lock for its whole step, which makes each step atomic (a billing store's steps are
 * short; a store shared by processes is the JDBC one). Issuers' number sequences are kept here too.
 */
public final class InMemoryBillingStore implements BillingStore {
  private static final Comparator<Invoice> NEWEST_FIRST =
      Comparator.comparing((Invoice i) -> i.period().start()).thenComparing(Invoice::id).reversed();

  private final Object lock = new Object();
  private final Map<TenantId, Versioned<Subscription>> subscriptions = new TreeMap<>();
  private final Map<TenantId, Map<String, Row>> invoices = new TreeMap<>();
  private final Map<String, Integer> sequences = new HashMap<>();
  private final Map<TenantId, Map<String, CreditNote>> notes = new HashMap<>();
  private final Map<String, Money> balances = new HashMap<>();
  private final Set<String> entries = new HashSet<>();
  private final JobLeases leases = InMemoryJobLeases.create();
  private final Map<String, Versioned<BillingRunRecord>> runs = new LinkedHashMap<>();

  private record Row(Versioned<Invoice> invoice, String key) {}

  /** An empty store. */
  public InMemoryBillingStore() {}

  @Override
  public Versioned<Subscription> insertSubscription(Subscription subscription) {
    synchronized (lock) {
      if (subscriptions.containsKey(subscription.tenant())) {
        throw new ConflictException("the tenant already has a subscription");
      }
      Versioned<Subscription> v = new Versioned<>(subscription, 1);
      subscriptions.put(subscription.tenant(), v);
      return v;
    }
  }

  @Override
  public Optional<Versioned<Subscription>> subscription(TenantId tenant) {
    synchronized (lock) {
      return Optional.ofNullable(subscriptions.get(tenant));
    }
  }

  @Override
  public Optional<Versioned<Subscription>> updateSubscription(
      Subscription subscription, long expectedVersion) {
    synchronized (lock) {
      Versioned<Subscription> current = subscriptions.get(subscription.tenant());
      if (current == null || current.version() != expectedVersion) {
        return Optional.empty();
      }
      Versioned<Subscription> next = new Versioned<>(subscription, expectedVersion + 1);
      subscriptions.put(subscription.tenant(), next);
      return Optional.of(next);
    }
  }

  @Override
  public List<Subscription> activeSubscriptions(Instant at, TenantId after, int limit) {
    Objects.requireNonNull(at, "at");
    StoreArguments.limit(limit);
    synchronized (lock) {
      List<Subscription> out = new ArrayList<>();
      for (Versioned<Subscription> v : subscriptions.values()) {
        Subscription s = v.value();
        boolean ended = s.endsAt() != null && !s.endsAt().isAfter(at);
        if ((after == null || s.tenant().compareTo(after) > 0) && !ended) {
          out.add(s);
          if (out.size() == limit) {
            break;
          }
        }
      }
      return out;
    }
  }

  @Override
  public DraftInsert insertDraft(Invoice draft, String key) {
    StoreArguments.draft(draft, key);
    synchronized (lock) {
      Map<String, Row> rows = invoices.computeIfAbsent(draft.tenant(), t -> new LinkedHashMap<>());
      for (Row r : rows.values()) {
        if (r.key().equals(key)) {
          return new DraftInsert(r.invoice(), false);
        }
      }
      if (rows.containsKey(draft.id())) {
        throw new ConflictException("the tenant has an invoice with this id under another key");
      }
      Versioned<Invoice> v = new Versioned<>(draft, 1);
      rows.put(draft.id(), new Row(v, key));
      return new DraftInsert(v, true);
    }
  }

  @Override
  public Optional<Versioned<Invoice>> replaceDraft(Invoice draft, long expectedVersion) {
    if (!draft.isDraft()) {
      throw new InvalidInputException("status", "only a draft replaces a draft");
    }
    return change(
        draft.tenant(), draft.id(), expectedVersion, current -> current.isDraft() ? draft : null);
  }

  @Override
  public Optional<Versioned<Invoice>> finalizeInvoice(
      TenantId tenant, String id, long expectedVersion, Issuer issuer, LocalDate issued) {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(issued, "issued");
    synchronized (lock) {
      Optional<Versioned<Invoice>> done =
          change(
              tenant,
              id,
              expectedVersion,
              current -> {
                String counter = issuer.numberPrefix() + "/" + issued.getYear();
                int next = sequences.getOrDefault(counter, 0) + 1;
                // The number is taken only once the finalized invoice exists: finalizeAs throws
                // first, and so does a balance short of what it applies.
                Invoice finalized =
                    current.finalizeAs(issuer.number(issued.getYear(), next), issued);
                requireBalance(
                    finalized, CreditAccount.CREDIT_NOTES, finalized.creditNotesApplied());
                requireBalance(finalized, CreditAccount.WALLET, finalized.prepaidCreditsApplied());
                sequences.put(counter, next);
                return finalized;
              });
      done.ifPresent(
          v -> {
            Invoice i = v.value();
            if (!i.creditNotesApplied().isZero()) {
              consume(tenant, CreditAccount.CREDIT_NOTES, i.id(), i.creditNotesApplied());
            }
            if (!i.prepaidCreditsApplied().isZero()) {
              consume(tenant, CreditAccount.WALLET, i.id(), i.prepaidCreditsApplied());
            }
          });
      return done;
    }
  }

  /** Refuses a finalization whose invoice applies more than the balance has (unless taken). */
  private void requireBalance(Invoice invoice, CreditAccount account, Money applied) {
    if (applied.isZero()
        || entries.contains(entryKey(invoice.tenant(), account, "-" + invoice.id()))) {
      return;
    }
    if (balance(invoice.tenant(), account, applied.currency()).minus(applied).isNegative()) {
      throw new ConflictException(
          "the "
              + account.wireName()
              + " balance of '"
              + invoice.tenant()
              + "' is less than invoice "
              + invoice.id()
              + " applies ("
              + applied
              + "); compute the invoice again");
    }
  }

  @Override
  public Optional<Versioned<Invoice>> changeStatus(
      TenantId tenant, String id, long expectedVersion, InvoiceStatus target) {
    Objects.requireNonNull(target, "target");
    return change(tenant, id, expectedVersion, current -> current.moveTo(target));
  }

  /** Applies {@code step} to the invoice at {@code expectedVersion}; a null result changes none. */
  private Optional<Versioned<Invoice>> change(
      TenantId tenant, String id, long expectedVersion, UnaryOperator<Invoice> step) {
    synchronized (lock) {
      Map<String, Row> rows = invoices.get(tenant);
      Row row = rows == null ? null : rows.get(id);
      if (row == null || row.invoice().version() != expectedVersion) {
        return Optional.empty();
      }
      Invoice next = step.apply(row.invoice().value());
      if (next == null) {
        return Optional.empty();
      }
      if (next.status() == InvoiceStatus.VOID && !creditNotes(tenant, id).isEmpty()) {
        throw InvoiceStateException.creditedCannotBeVoided(id);
      }
      Versioned<Invoice> v = new Versioned<>(next, expectedVersion + 1);
      // A voided invoice gives its idempotency key up, so the run bills its period again.
      String key = next.status() == InvoiceStatus.VOID ? StoreArguments.retiredKey(id) : row.key();
      rows.put(id, new Row(v, key));
      return Optional.of(v);
    }
  }

  @Override
  public Optional<Versioned<Invoice>> invoice(TenantId tenant, String id) {
    synchronized (lock) {
      Map<String, Row> rows = invoices.get(tenant);
      Row row = rows == null ? null : rows.get(id);
      return row == null ? Optional.empty() : Optional.of(row.invoice());
    }
  }

  @Override
  public Page<Invoice> invoices(TenantId tenant, String cursor, int limit) {
    StoreArguments.limit(limit);
    StoreArguments.Cursor after = cursor == null ? null : StoreArguments.Cursor.parse(cursor);
    synchronized (lock) {
      List<Invoice> all =
          invoices.getOrDefault(tenant, Map.of()).values().stream()
              .map(r -> r.invoice().value())
              .filter(i -> after == null || after.isBefore(i))
              .sorted(NEWEST_FIRST)
              .toList();
      List<Invoice> page = all.subList(0, Math.min(limit, all.size()));
      String next = all.size() > limit ? StoreArguments.cursor(page.get(limit - 1)) : null;
      return new Page<>(page, next);
    }
  }

  @Override
  public List<Invoice> allInvoices(InvoiceFilter filter, InvoiceKey after, int limit) {
    Objects.requireNonNull(filter, "filter");
    StoreArguments.limit(limit);
    synchronized (lock) {
      List<Invoice> out = new ArrayList<>();
      for (Map.Entry<TenantId, Map<String, Row>> e : invoices.entrySet()) {
        if (after != null && e.getKey().compareTo(after.tenant()) < 0) {
          continue;
        }
        for (Row r : new TreeMap<>(e.getValue()).values()) {
          Invoice i = r.invoice().value();
          boolean afterKey =
              after == null
                  || e.getKey().compareTo(after.tenant()) > 0
                  || i.id().compareTo(after.id()) > 0;
          if (afterKey
              && filter.status().map(s -> s == i.status()).orElse(true)
              && filter.periodStart().map(d -> d.equals(i.period().start())).orElse(true)) {
            out.add(i);
            if (out.size() == limit) {
              return out;
            }
          }
        }
      }
      return out;
    }
  }

  @Override
  public boolean deleteDraft(TenantId tenant, String id) {
    synchronized (lock) {
      Map<String, Row> rows = invoices.get(tenant);
      Row row = rows == null ? null : rows.get(id);
      if (row == null || !row.invoice().value().isDraft()) {
        return false;
      }
      rows.remove(id);
      return true;
    }
  }

  @Override
  public void insertCreditNote(CreditNote note, int priorNotes) {
    Objects.requireNonNull(note, "note");
    synchronized (lock) {
      if (invoice(note.tenant(), note.invoiceId()).isEmpty()) {
        throw new NotFoundException("the tenant has no invoice " + note.invoiceId());
      }
      Map<String, CreditNote> mine =
          notes.computeIfAbsent(note.tenant(), t -> new LinkedHashMap<>());
      if (mine.containsKey(note.id())) {
        throw new ConflictException("the tenant has a credit note with this id");
      }
      if (invoice(note.tenant(), note.invoiceId()).orElseThrow().value().status()
          == InvoiceStatus.VOID) {
        throw new InvoiceStateException(
            "invoice " + note.invoiceId() + " was voided meanwhile: it takes no credit note");
      }
      if (creditNotes(note.tenant(), note.invoiceId()).size() != priorNotes) {
        throw new InvoiceStateException(
            "invoice " + note.invoiceId() + " had another credit note meanwhile: decide again");
      }
      mine.put(note.id(), note);
      if (!note.creditedBack().isZero()) {
        credit(note.tenant(), CreditAccount.CREDIT_NOTES, "note:" + note.id(), note.creditedBack());
      }
    }
  }

  @Override
  public List<CreditNote> creditNotes(TenantId tenant, String invoiceId) {
    synchronized (lock) {
      return notes.getOrDefault(tenant, Map.of()).values().stream()
          .filter(n -> n.invoiceId().equals(invoiceId))
          .toList();
    }
  }

  @Override
  public Money balance(TenantId tenant, CreditAccount account, Currency currency) {
    synchronized (lock) {
      return balances.getOrDefault(balanceKey(tenant, account, currency), Money.zero(currency));
    }
  }

  @Override
  public boolean credit(TenantId tenant, CreditAccount account, String entryKey, Money amount) {
    StoreArguments.key("entry_key", entryKey);
    StoreArguments.positive(amount);
    synchronized (lock) {
      if (!entries.add(entryKey(tenant, account, "+" + entryKey))) {
        return false;
      }
      balances.merge(balanceKey(tenant, account, amount.currency()), amount, Money::plus);
      return true;
    }
  }

  @Override
  public boolean consume(TenantId tenant, CreditAccount account, String invoiceId, Money amount) {
    StoreArguments.key("invoice_id", invoiceId);
    StoreArguments.positive(amount);
    synchronized (lock) {
      String entry = entryKey(tenant, account, "-" + invoiceId);
      if (entries.contains(entry)) {
        return false;
      }
      Money left = balance(tenant, account, amount.currency()).minus(amount);
      if (left.isNegative()) {
        throw new InvalidInputException("amount", "is more than the balance");
      }
      entries.add(entry);
      balances.put(balanceKey(tenant, account, amount.currency()), left);
      return true;
    }
  }

  private static String balanceKey(TenantId tenant, CreditAccount account, Currency currency) {
    return tenant.value() + "/" + account.wireName() + "/" + currency.getCurrencyCode();
  }

  private static String entryKey(TenantId tenant, CreditAccount account, String key) {
    return tenant.value() + "/" + account.wireName() + "/" + key;
  }

  @Override
  public Optional<Versioned<Invoice>> invoiceByKey(TenantId tenant, String key) {
    Objects.requireNonNull(tenant, "tenant");
    synchronized (lock) {
      return invoices.getOrDefault(tenant, Map.of()).values().stream()
          .filter(r -> r.key().equals(key))
          .map(Row::invoice)
          .findFirst();
    }
  }

  @Override
  public Versioned<BillingRunRecord> insertRun(BillingRunRecord run) {
    Objects.requireNonNull(run, "run");
    synchronized (lock) {
      if (runs.containsKey(run.id())) {
        throw new ConflictException("a billing run with this id exists");
      }
      Versioned<BillingRunRecord> v = new Versioned<>(run, 1);
      runs.put(run.id(), v);
      return v;
    }
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> run(String id) {
    synchronized (lock) {
      return Optional.ofNullable(runs.get(id));
    }
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> updateRun(
      BillingRunRecord run, long expectedVersion) {
    Objects.requireNonNull(run, "run");
    synchronized (lock) {
      Versioned<BillingRunRecord> current = runs.get(run.id());
      if (current == null || current.version() != expectedVersion) {
        return Optional.empty();
      }
      Versioned<BillingRunRecord> next = new Versioned<>(run, expectedVersion + 1);
      runs.put(run.id(), next);
      return Optional.of(next);
    }
  }

  @Override
  public Optional<Versioned<BillingRunRecord>> latestRun(String period) {
    synchronized (lock) {
      return runs.values().stream()
          .filter(v -> v.value().period().equals(period))
          .max(
              Comparator.comparing((Versioned<BillingRunRecord> v) -> v.value().startedAt())
                  .thenComparing(v -> v.value().id()));
    }
  }

  @Override
  public JobLeases jobLeases() {
    return leases;
  }

  @Override
  public void purge(TenantId tenant) {
    synchronized (lock) {
      subscriptions.remove(tenant);
      invoices.remove(tenant);
      notes.remove(tenant);
      String prefix = tenant.value() + "/";
      balances.keySet().removeIf(k -> k.startsWith(prefix));
      entries.removeIf(k -> k.startsWith(prefix));
    }
  }
}
