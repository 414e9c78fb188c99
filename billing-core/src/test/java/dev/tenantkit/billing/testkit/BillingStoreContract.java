package dev.tenantkit.billing.testkit;

import static dev.tenantkit.billing.testkit.BillingFixtures.START;
import static dev.tenantkit.billing.testkit.BillingFixtures.draft;
import static dev.tenantkit.billing.testkit.BillingFixtures.race;
import static dev.tenantkit.billing.testkit.BillingFixtures.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.CreditNote;
import dev.tenantkit.billing.invoice.CreditNoteMethod;
import dev.tenantkit.billing.invoice.CreditNoteReason;
import dev.tenantkit.billing.invoice.CreditNoteRequest;
import dev.tenantkit.billing.invoice.CreditNotes;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoiceNumber;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.InvoiceStateException;
import dev.tenantkit.billing.invoice.InvoiceStatus;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.spi.DraftInsert;
import dev.tenantkit.billing.spi.InvoiceFilter;
import dev.tenantkit.billing.spi.InvoiceKey;
import dev.tenantkit.billing.spi.Versioned;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.NotFoundException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BillingStore} must have. A backend's test extends this class and
 * returns its store from {@link #newStore()}; it may return one store shared by every test, since
 * each test uses tenants and an issuer of its own.
 */
public abstract class BillingStoreContract {
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final LocalDate ISSUED = LocalDate.of(2026, 2, 1);

  protected BillingStore store;
  protected TenantId a;
  protected TenantId b;
  protected Issuer issuer;

  /** The store under test: a fresh one, or one shared by every test of the class. */
  protected abstract BillingStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    int n = RUN.incrementAndGet();
    a = TenantId.of("acme" + n);
    b = TenantId.of("globex" + n);
    issuer = new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "T" + n);
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static String key(Invoice i) {
    return "sub:s1:" + i.period().start() + ":recurring";
  }

  private Versioned<Invoice> stored(TenantId tenant, String id, int month) {
    Invoice d = draft(tenant, id, month, "29");
    return store.insertDraft(d, "sub:s1:" + d.period().start() + ":" + id).invoice();
  }

  private Versioned<Invoice> finalized(TenantId tenant, String id, int month) {
    Versioned<Invoice> d = stored(tenant, id, month);
    return store.finalizeInvoice(tenant, id, d.version(), issuer, ISSUED).orElseThrow();
  }

  private static CreditNote note(Invoice invoice, String id, CreditNoteMethod method) {
    return CreditNotes.issue(
        invoice,
        List.of(),
        CreditNoteRequest.whole(id, ISSUED.plusDays(3), CreditNoteReason.OTHER, "", method));
  }

  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  @Nested
  class Subscriptions {
    @Test
    void insertFindAndCompareAndSet() {
      Subscription s = subscription(a);
      assertThat(store.insertSubscription(s)).isEqualTo(new Versioned<>(s, 1));
      assertThat(store.subscription(a)).contains(new Versioned<>(s, 1));
      assertThatThrownBy(() -> store.insertSubscription(s)).isInstanceOf(ConflictException.class);

      Subscription cancelled = s.cancel(CancelTiming.NOW, START.plusSeconds(86_400));
      assertThat(store.updateSubscription(cancelled, 1)).contains(new Versioned<>(cancelled, 2));
      // A writer that still holds version 1 loses.
      assertThat(store.updateSubscription(s, 1)).isEmpty();
      assertThat(store.subscription(a)).contains(new Versioned<>(cancelled, 2));
    }

    @Test
    void anotherTenantSeesNoSubscription() {
      store.insertSubscription(subscription(a));
      assertThat(store.subscription(b)).isEmpty();
      assertThat(store.updateSubscription(subscription(b), 1)).isEmpty();
      assertThat(store.subscription(b)).isEmpty();
    }

    @Test
    void activeSubscriptionsArePagedByTenantAndSkipEndedOnes() {
      List<TenantId> tenants = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        TenantId t = TenantId.of(a.value() + "x" + i);
        tenants.add(t);
        store.insertSubscription(subscription(t));
      }
      Subscription ended =
          subscription(tenants.get(2)).cancel(CancelTiming.NOW, START.plusSeconds(3_600));
      store.updateSubscription(ended, 1);
      Instant now = START.plusSeconds(86_400);

      List<TenantId> seen = new ArrayList<>();
      TenantId after = TenantId.of(a.value() + "x");
      while (true) {
        List<Subscription> page = store.activeSubscriptions(now, after, 2);
        page.stream().map(Subscription::tenant).filter(tenants::contains).forEach(seen::add);
        if (page.size() < 2 || !tenants.contains(page.get(page.size() - 1).tenant())) {
          break;
        }
        after = page.get(page.size() - 1).tenant();
      }
      assertThat(seen)
          .containsExactly(tenants.get(0), tenants.get(1), tenants.get(3), tenants.get(4));
      // Before it ended, the cancelled one was active.
      assertThat(store.activeSubscriptions(START, tenants.get(1), 1))
          .extracting(Subscription::tenant)
          .containsExactly(tenants.get(2));
      assertThatThrownBy(() -> store.activeSubscriptions(now, null, 0))
          .isInstanceOf(InvalidInputException.class);
    }
  }

  // ---- drafts ----------------------------------------------------------------------------------

  @Nested
  class Drafts {
    @Test
    void aDraftRoundTripsExactly() {
      Invoice d = draft(a, "inv-1", 1, "29.99");
      DraftInsert first = store.insertDraft(d, key(d));
      assertThat(first.created()).isTrue();
      assertThat(first.invoice()).isEqualTo(new Versioned<>(d, 1));
      Invoice read = store.invoice(a, "inv-1").orElseThrow().value();
      assertThat(read).isEqualTo(d);
      assertThat(read.lines().get(1).amount()).isEqualTo(usd("1.23"));
    }

    @Test
    void theSameKeyStoresNothingTheSecondTime() {
      Invoice d = draft(a, "inv-1", 1, "29");
      store.insertDraft(d, key(d));
      Invoice again = draft(a, "inv-2", 1, "35");
      DraftInsert second = store.insertDraft(again, key(d));
      assertThat(second.created()).isFalse();
      assertThat(second.invoice().value()).isEqualTo(d);
      assertThat(store.invoice(a, "inv-2")).isEmpty();
      // Another tenant has keys of its own.
      assertThat(store.insertDraft(draft(b, "inv-1", 1, "29"), key(d)).created()).isTrue();
    }

    @Test
    void anIdUnderAnotherKeyIsAConflict() {
      Invoice d = draft(a, "inv-1", 1, "29");
      store.insertDraft(d, key(d));
      assertThatThrownBy(() -> store.insertDraft(draft(a, "inv-1", 2, "29"), "other"))
          .isInstanceOf(ConflictException.class);
    }

    @Test
    void badInputIsRefused() {
      Invoice d = draft(a, "inv-1", 1, "29");
      assertThatThrownBy(() -> store.insertDraft(d, "")).isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.insertDraft(d, "k".repeat(201)))
          .isInstanceOf(InvalidInputException.class);
      Invoice issued = d.finalizeAs(new InvoiceNumber("X", 2026, 1), ISSUED);
      assertThatThrownBy(() -> store.insertDraft(issued, "k"))
          .isInstanceOf(InvalidInputException.class);
      assertThat(store.invoice(a, "inv-1")).isEmpty();
    }

    @Test
    void racingInsertsOfOneKeyStoreOneInvoice() throws Exception {
      List<DraftInsert> results =
          race(
              16,
              i -> {
                Invoice d = draft(a, "inv-" + i, 3, "29");
                return store.insertDraft(d, "sub:s1:2026-03-01:recurring");
              });
      assertThat(results).filteredOn(DraftInsert::created).hasSize(1);
      Invoice winner =
          results.stream().filter(DraftInsert::created).findFirst().orElseThrow().invoice().value();
      assertThat(results).allSatisfy(r -> assertThat(r.invoice().value()).isEqualTo(winner));
      assertThat(store.invoices(a, null, 100).items()).containsExactly(winner);
    }

    @Test
    void replacingADraftIsCompareAndSet() {
      Versioned<Invoice> v1 = stored(a, "inv-1", 1);
      Invoice late = draft(a, "inv-1", 1, "31");
      assertThat(store.replaceDraft(late, 1)).contains(new Versioned<>(late, 2));
      assertThat(store.replaceDraft(v1.value(), 1)).isEmpty();
      assertThat(store.invoice(a, "inv-1").orElseThrow().value()).isEqualTo(late);
      assertThat(store.finalizeInvoice(a, "inv-1", 2, issuer, ISSUED)).isPresent();
      assertThat(store.replaceDraft(late, 3)).isEmpty();
      assertThat(store.invoice(a, "inv-1").orElseThrow().value().isDraft()).isFalse();
    }

    @Test
    void onlyDraftsAreDeletedAndTheirKeyIsFreeAgain() {
      Invoice d = stored(a, "inv-1", 1).value();
      finalized(a, "inv-2", 2);
      assertThat(store.deleteDraft(a, "inv-2")).isFalse();
      assertThat(store.deleteDraft(b, "inv-1")).isFalse();
      assertThat(store.deleteDraft(a, "inv-1")).isTrue();
      assertThat(store.deleteDraft(a, "inv-1")).isFalse();
      assertThat(store.invoice(a, "inv-1")).isEmpty();
      assertThat(store.insertDraft(d, key(d)).created()).isTrue();
    }
  }

  // ---- numbering -------------------------------------------------------------------------------

  @Nested
  class Numbering {
    @Test
    void finalizingNumbersGapFreePerIssuerAndYear() {
      Versioned<Invoice> one = finalized(a, "inv-1", 1);
      Versioned<Invoice> two = finalized(b, "inv-1", 1);
      assertThat(one.version()).isEqualTo(2);
      assertThat(one.value().status()).isEqualTo(InvoiceStatus.FINALIZED);
      assertThat(one.value().number()).isEqualTo(issuer.number(2026, 1));
      assertThat(two.value().number()).isEqualTo(issuer.number(2026, 2));
      assertThat(store.invoice(a, "inv-1")).contains(one);

      Issuer other = new Issuer("Other", List.of(), "", issuer.numberPrefix() + "B");
      Versioned<Invoice> d = stored(a, "inv-2", 2);
      assertThat(
              store
                  .finalizeInvoice(a, "inv-2", d.version(), other, ISSUED)
                  .orElseThrow()
                  .value()
                  .number())
          .isEqualTo(other.number(2026, 1));

      Versioned<Invoice> next = stored(a, "inv-3", 3);
      LocalDate nextYear = LocalDate.of(2027, 1, 2);
      assertThat(
              store
                  .finalizeInvoice(a, "inv-3", next.version(), issuer, nextYear)
                  .orElseThrow()
                  .value()
                  .number())
          .hasToString(issuer.numberPrefix() + "-2027-000001");
    }

    @Test
    void aRefusedFinalizationUsesNoNumber() {
      Versioned<Invoice> one = finalized(a, "inv-1", 1);
      assertThatThrownBy(() -> store.finalizeInvoice(a, "inv-1", one.version(), issuer, ISSUED))
          .isInstanceOf(InvoiceStateException.class);
      Versioned<Invoice> d = stored(a, "inv-2", 2);
      assertThat(store.finalizeInvoice(a, "inv-2", d.version() + 1, issuer, ISSUED)).isEmpty();
      assertThat(store.finalizeInvoice(a, "missing", 1, issuer, ISSUED)).isEmpty();
      assertThat(
              store
                  .finalizeInvoice(a, "inv-2", d.version(), issuer, ISSUED)
                  .orElseThrow()
                  .value()
                  .number())
          .isEqualTo(issuer.number(2026, 2));
    }

    @Test
    void concurrentFinalizationsNumberOneToNWithoutGaps() throws Exception {
      int n = 12;
      for (int i = 1; i <= n; i++) {
        stored(i % 2 == 0 ? a : b, "inv-" + i, 1);
      }
      List<Versioned<Invoice>> done =
          race(
              n,
              i -> {
                int k = i + 1;
                return store
                    .finalizeInvoice(k % 2 == 0 ? a : b, "inv-" + k, 1, issuer, ISSUED)
                    .orElseThrow();
              });
      assertThat(done)
          .extracting(v -> v.value().number().sequence())
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.rangeClosed(1, n).boxed().toList());
    }
  }

  // ---- lifecycle, listing, isolation -----------------------------------------------------------

  @Nested
  class Lifecycle {
    @Test
    void statusChangesAreCompareAndSet() {
      Versioned<Invoice> f = finalized(a, "inv-1", 1);
      Versioned<Invoice> sent =
          store.changeStatus(a, "inv-1", f.version(), InvoiceStatus.SENT).orElseThrow();
      assertThat(sent.version()).isEqualTo(f.version() + 1);
      assertThat(sent.value().status()).isEqualTo(InvoiceStatus.SENT);
      assertThat(store.changeStatus(a, "inv-1", f.version(), InvoiceStatus.VOID)).isEmpty();
      Versioned<Invoice> paid =
          store.changeStatus(a, "inv-1", sent.version(), InvoiceStatus.PAID).orElseThrow();
      assertThatThrownBy(() -> store.changeStatus(a, "inv-1", paid.version(), InvoiceStatus.SENT))
          .isInstanceOf(InvoiceStateException.class);
      assertThat(store.invoice(a, "inv-1")).contains(paid);
    }

    @Test
    void aTenantsInvoicesAreListedNewestFirstByCursor() {
      for (int m = 1; m <= 5; m++) {
        stored(a, "inv-" + m, m);
      }
      stored(b, "inv-9", 9);
      List<String> ids = new ArrayList<>();
      String cursor = null;
      do {
        Page<Invoice> page = store.invoices(a, cursor, 2);
        page.items().forEach(i -> ids.add(i.id()));
        cursor = page.nextCursor();
      } while (cursor != null);
      assertThat(ids).containsExactly("inv-5", "inv-4", "inv-3", "inv-2", "inv-1");
      assertThatThrownBy(() -> store.invoices(a, "nonsense", 2))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void theOperatorListsAcrossTenantsByKeysetWithFilters() {
      stored(a, "inv-1", 1);
      finalized(a, "inv-2", 2);
      stored(b, "inv-1", 1);
      finalized(b, "inv-3", 1);
      List<InvoiceKey> seen = new ArrayList<>();
      InvoiceKey after = new InvoiceKey(a, "");
      while (true) {
        List<Invoice> page = store.allInvoices(InvoiceFilter.ALL, after, 3);
        for (Invoice i : page) {
          if (i.tenant().equals(a) || i.tenant().equals(b)) {
            seen.add(new InvoiceKey(i.tenant(), i.id()));
          }
        }
        if (page.size() < 3) {
          break;
        }
        Invoice last = page.get(2);
        after = new InvoiceKey(last.tenant(), last.id());
      }
      assertThat(seen)
          .containsExactly(
              new InvoiceKey(a, "inv-1"),
              new InvoiceKey(a, "inv-2"),
              new InvoiceKey(b, "inv-1"),
              new InvoiceKey(b, "inv-3"));
      List<Invoice> finalizedInJanuary =
          store.allInvoices(
              InvoiceFilter.ALL
                  .withStatus(InvoiceStatus.FINALIZED)
                  .withPeriodStart(LocalDate.of(2026, 1, 1)),
              new InvoiceKey(a, ""),
              100);
      assertThat(finalizedInJanuary)
          .filteredOn(i -> i.tenant().equals(a) || i.tenant().equals(b))
          .extracting(Invoice::id)
          .containsExactly("inv-3");
    }

    @Test
    void anotherTenantCannotReachAnInvoiceById() {
      Versioned<Invoice> f = finalized(a, "inv-1", 1);
      stored(a, "inv-2", 2);
      assertThat(store.invoice(b, "inv-1")).isEmpty();
      assertThat(store.invoices(b, null, 10).items()).isEmpty();
      assertThat(store.changeStatus(b, "inv-1", f.version(), InvoiceStatus.VOID)).isEmpty();
      assertThat(store.finalizeInvoice(b, "inv-2", 1, issuer, ISSUED)).isEmpty();
      assertThat(store.replaceDraft(draft(b, "inv-2", 2, "1"), 1)).isEmpty();
      assertThat(store.deleteDraft(b, "inv-2")).isFalse();
      CreditNote forged = note(f.value(), "cn-1", CreditNoteMethod.CREDIT_BACK);
      CreditNote asB =
          new CreditNote(
              forged.id(),
              b,
              forged.invoiceId(),
              forged.invoiceNumber(),
              forged.currency(),
              forged.issueDate(),
              forged.reason(),
              forged.description(),
              forged.method(),
              forged.items(),
              forged.taxLines(),
              forged.subtotal(),
              forged.taxTotal(),
              forged.total());
      assertThatThrownBy(() -> store.insertCreditNote(asB, 0))
          .isInstanceOf(NotFoundException.class);
      assertThat(store.creditNotes(b, "inv-1")).isEmpty();
      assertThat(store.balance(b, CreditAccount.CREDIT_NOTES, f.value().currency()).isZero())
          .isTrue();
      // A's invoices are as they were.
      assertThat(store.invoice(a, "inv-1")).contains(f);
      assertThat(store.invoice(a, "inv-2").orElseThrow().value().isDraft()).isTrue();
      // And the number of the refused finalization was not used.
      Versioned<Invoice> d = store.invoice(a, "inv-2").orElseThrow();
      assertThat(
              store
                  .finalizeInvoice(a, "inv-2", d.version(), issuer, ISSUED)
                  .orElseThrow()
                  .value()
                  .number())
          .isEqualTo(issuer.number(2026, 2));
    }
  }

  // ---- credit notes and balances ---------------------------------------------------------------

  @Nested
  class Credits {
    @Test
    void creditNotesAreStoredPerInvoiceAndCreditBackFillsTheBalance() {
      Versioned<Invoice> fin = finalized(a, "inv-1", 1);
      Invoice f =
          store.changeStatus(a, "inv-1", fin.version(), InvoiceStatus.PAID).orElseThrow().value();
      CreditNote refund =
          CreditNotes.issue(
              f,
              List.of(),
              CreditNoteRequest.lines(
                  "cn-1",
                  ISSUED,
                  CreditNoteReason.OTHER,
                  "",
                  CreditNoteMethod.REFUND,
                  java.util.Map.of(0, usd("10"))));
      store.insertCreditNote(refund, 0);
      CreditNote back =
          CreditNotes.issue(
              f,
              List.of(refund),
              CreditNoteRequest.lines(
                  "cn-2",
                  ISSUED,
                  CreditNoteReason.OTHER,
                  "",
                  CreditNoteMethod.CREDIT_BACK,
                  java.util.Map.of(0, usd("5"))));
      store.insertCreditNote(back, 1);
      assertThat(store.creditNotes(a, "inv-1")).containsExactly(refund, back);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, f.currency()))
          .isEqualTo(back.total());
      assertThat(store.balance(a, CreditAccount.WALLET, f.currency()).isZero()).isTrue();
      assertThatThrownBy(() -> store.insertCreditNote(back, 2))
          .isInstanceOf(ConflictException.class);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, f.currency()))
          .isEqualTo(back.total());
      CreditNote orphan =
          new CreditNote(
              "cn-3",
              a,
              "missing",
              back.invoiceNumber(),
              back.currency(),
              back.issueDate(),
              back.reason(),
              "",
              back.method(),
              back.items(),
              back.taxLines(),
              back.subtotal(),
              back.taxTotal(),
              back.total());
      assertThatThrownBy(() -> store.insertCreditNote(orphan, 0))
          .isInstanceOf(NotFoundException.class);
    }

    @Test
    void racingCreditNotesNeverCreditAnInvoiceTwice() throws Exception {
      store.insertSubscription(subscription(a));
      Invoice f = finalized(a, "inv-1", 1).value();
      // Each decides a note for the whole invoice against no earlier note; one may be stored.
      List<Boolean> stored =
          race(
              8,
              i -> {
                try {
                  store.insertCreditNote(note(f, "cn-" + i, CreditNoteMethod.CREDIT_BACK), 0);
                  return true;
                } catch (InvoiceStateException e) {
                  return false;
                }
              });
      assertThat(stored).filteredOn(t -> t).hasSize(1);
      List<CreditNote> notes = store.creditNotes(a, "inv-1");
      assertThat(notes).hasSize(1);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, f.currency()))
          .isEqualTo(notes.get(0).total());
    }

    @Test
    void anInvoiceWithCreditNotesIsNotVoidedAndAVoidInvoiceTakesNoNote() {
      store.insertSubscription(subscription(a));
      Versioned<Invoice> f = finalized(a, "inv-1", 1);
      CreditNote first = note(f.value(), "cn-1", CreditNoteMethod.CREDIT_BACK);
      store.insertCreditNote(first, 0);
      assertThatThrownBy(() -> store.changeStatus(a, "inv-1", f.version(), InvoiceStatus.VOID))
          .isInstanceOf(InvoiceStateException.class)
          .hasMessageContaining("credit notes");
      assertThat(store.invoice(a, "inv-1").orElseThrow().value().status())
          .isEqualTo(InvoiceStatus.FINALIZED);

      // A note decided before the void and stored after it is refused.
      Versioned<Invoice> g = finalized(a, "inv-2", 2);
      CreditNote late = note(g.value(), "cn-2", CreditNoteMethod.CREDIT_BACK);
      assertThat(store.changeStatus(a, "inv-2", g.version(), InvoiceStatus.VOID)).isPresent();
      assertThatThrownBy(() -> store.insertCreditNote(late, 0))
          .isInstanceOf(InvoiceStateException.class);
      assertThat(store.creditNotes(a, "inv-2")).isEmpty();
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, f.value().currency()))
          .isEqualTo(first.total());
    }

    @Test
    void theWalletIsCreditedOncePerEntryAndConsumedOncePerInvoice() {
      assertThat(store.credit(a, CreditAccount.WALLET, "grant:welcome", usd("20"))).isTrue();
      assertThat(store.credit(a, CreditAccount.WALLET, "grant:welcome", usd("20"))).isFalse();
      assertThat(store.credit(a, CreditAccount.WALLET, "purchase:p1", usd("5.50"))).isTrue();
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()))
          .isEqualTo(usd("25.50"));
      assertThat(store.consume(a, CreditAccount.WALLET, "inv-1", usd("10"))).isTrue();
      assertThat(store.consume(a, CreditAccount.WALLET, "inv-1", usd("10"))).isFalse();
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()))
          .isEqualTo(usd("15.50"));
      assertThatThrownBy(() -> store.consume(a, CreditAccount.WALLET, "inv-2", usd("15.51")))
          .isInstanceOf(InvalidInputException.class);
      // The refused use wrote nothing: inv-2 may still take what there is.
      assertThat(store.consume(a, CreditAccount.WALLET, "inv-2", usd("15.50"))).isTrue();
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()).isZero()).isTrue();
      assertThat(store.balance(b, CreditAccount.WALLET, usd("0").currency()).isZero()).isTrue();
      assertThat(store.balance(a, CreditAccount.WALLET, Money.currency("EUR")).isZero()).isTrue();
      assertThatThrownBy(() -> store.credit(a, CreditAccount.WALLET, "x", usd("-1")))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> store.consume(b, CreditAccount.WALLET, "inv-9", usd("1")))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void racingFirstCreditsOfABalanceAllCount() throws Exception {
      List<Boolean> added =
          race(8, i -> store.credit(a, CreditAccount.WALLET, "purchase:" + i, usd("1.25")));
      assertThat(added).containsOnly(true);
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency())).isEqualTo(usd("10"));
    }

    @Test
    void racingInvoicesNeverSpendTheSameCredit() throws Exception {
      store.credit(a, CreditAccount.WALLET, "grant:g", usd("10"));
      List<Boolean> taken =
          race(
              8,
              i -> {
                try {
                  return store.consume(a, CreditAccount.WALLET, "inv-" + i, usd("3"));
                } catch (InvalidInputException e) {
                  return false;
                }
              });
      assertThat(taken).filteredOn(t -> t).hasSize(3);
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency())).isEqualTo(usd("1"));
    }
  }

  // ---- purge -----------------------------------------------------------------------------------

  // ---- invoices by key and billing runs ---------------------------------------------------------

  @Nested
  class Runs {
    @Test
    void anInvoiceIsFoundByItsKeyInItsTenantOnly() {
      Invoice d = draft(a, "inv-k", 3, "29");
      Versioned<Invoice> stored = store.insertDraft(d, "sub:acme:2026-03-01:period").invoice();
      assertThat(store.invoiceByKey(a, "sub:acme:2026-03-01:period")).contains(stored);
      assertThat(store.invoiceByKey(b, "sub:acme:2026-03-01:period")).isEmpty();
      assertThat(store.invoiceByKey(a, "sub:acme:2026-04-01:period")).isEmpty();
      Versioned<Invoice> done = store.finalizeInvoice(a, "inv-k", 1, issuer, ISSUED).orElseThrow();
      assertThat(store.invoiceByKey(a, "sub:acme:2026-03-01:period")).contains(done);
    }

    @Test
    void aVoidedInvoiceGivesItsKeyUpSoThePeriodIsBilledAgain() {
      String key = "sub:acme:2026-03-01:period";
      store.insertDraft(draft(a, "inv-k", 3, "29"), key);
      Versioned<Invoice> done = store.finalizeInvoice(a, "inv-k", 1, issuer, ISSUED).orElseThrow();
      Versioned<Invoice> voided =
          store.changeStatus(a, "inv-k", done.version(), InvoiceStatus.VOID).orElseThrow();
      assertThat(store.invoiceByKey(a, key)).isEmpty();
      DraftInsert again = store.insertDraft(draft(a, "inv-k2", 3, "29"), key);
      assertThat(again.created()).isTrue();
      assertThat(store.invoiceByKey(a, key)).contains(again.invoice());
      // The void invoice stays, with its number.
      assertThat(store.invoice(a, "inv-k")).contains(voided);
      assertThat(voided.value().number()).isEqualTo(done.value().number());
    }

    @Test
    void aRunIsStoredUpdatedByCompareAndSetAndFoundByPeriod() {
      String period = a.value();
      BillingRunRecord first = BillingRunRecord.started("run-" + period, period, "one", START);
      assertThat(store.insertRun(first)).isEqualTo(new Versioned<>(first, 1));
      assertThatThrownBy(() -> store.insertRun(first)).isInstanceOf(ConflictException.class);
      assertThat(store.run(first.id())).contains(new Versioned<>(first, 1));
      assertThat(store.run("run-none-" + period)).isEmpty();

      BillingRunRecord progressed = first.after(a, 1).after(b, 0);
      assertThat(store.updateRun(progressed, 1)).contains(new Versioned<>(progressed, 2));
      assertThat(store.updateRun(first.after(a, 1), 1)).isEmpty();
      Versioned<BillingRunRecord> read = store.run(first.id()).orElseThrow();
      assertThat(read.value().tenantsDone()).isEqualTo(2);
      assertThat(read.value().invoicesCreated()).isEqualTo(1);
      assertThat(read.value().cursor()).isEqualTo(b);

      BillingRunRecord later =
          BillingRunRecord.started("run2-" + period, period, "two", START.plusSeconds(60));
      store.insertRun(later);
      store.insertRun(
          BillingRunRecord.started("run3-" + period, period + "x", "two", START.plusSeconds(99)));
      assertThat(store.latestRun(period)).contains(new Versioned<>(later, 1));
      BillingRunRecord failed = later.finished(START.plusSeconds(70), "tenant x: broken");
      assertThat(store.updateRun(failed, 1)).contains(new Versioned<>(failed, 2));
      assertThat(store.latestRun(period).orElseThrow().value().status())
          .isEqualTo(BillingRunRecord.Status.FAILED);
      assertThat(store.latestRun(period + "y")).isEmpty();
    }

    @Test
    void aPurgeLeavesTheRunsOfTheOperator() {
      String period = b.value();
      BillingRunRecord run = BillingRunRecord.started("run-" + period, period, "one", START);
      store.insertRun(run.after(a, 1));
      store.purge(a);
      assertThat(store.run(run.id())).isPresent();
    }
  }

  @Nested
  class Purge {
    @Test
    void aPurgedTenantCreatedAgainInheritsNothing() {
      store.insertSubscription(subscription(a));
      Invoice f = finalized(a, "inv-1", 1).value();
      stored(a, "inv-2", 2);
      store.insertCreditNote(note(f, "cn-1", CreditNoteMethod.CREDIT_BACK), 0);
      store.credit(a, CreditAccount.WALLET, "grant:g", usd("10"));
      store.consume(a, CreditAccount.WALLET, "inv-1", usd("1"));
      store.insertSubscription(subscription(b));
      Versioned<Invoice> bs = finalized(b, "inv-1", 1);

      store.purge(a);

      assertThat(store.subscription(a)).isEmpty();
      assertThat(store.invoice(a, "inv-1")).isEmpty();
      assertThat(store.invoices(a, null, 10).items()).isEmpty();
      assertThat(store.creditNotes(a, "inv-1")).isEmpty();
      assertThat(store.balance(a, CreditAccount.WALLET, f.currency()).isZero()).isTrue();
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, f.currency()).isZero()).isTrue();
      // The same id again: keys, entries and ids are free, and numbering goes on.
      store.insertSubscription(subscription(a));
      assertThat(store.credit(a, CreditAccount.WALLET, "grant:g", usd("2"))).isTrue();
      assertThat(store.consume(a, CreditAccount.WALLET, "inv-1", usd("1"))).isTrue();
      Versioned<Invoice> again = finalized(a, "inv-1", 1);
      assertThat(again.value().number()).isEqualTo(issuer.number(2026, 3));
      assertThat(store.invoice(b, "inv-1")).contains(bs);
      assertThat(store.subscription(b)).isPresent();
    }
  }

  /** The store's job leases work: one owner at a time. */
  @Test
  void jobLeasesAreKeptWithTheStore() {
    Instant now = Instant.parse("2026-02-01T00:00:00Z");
    String name = "billing-run-" + a.value();
    assertThat(store.jobLeases().acquire(name, "one", now, now.plusSeconds(60))).isTrue();
    assertThat(store.jobLeases().acquire(name, "two", now, now.plusSeconds(60))).isFalse();
  }

  // ---- finalization takes the credit it applied, atomically ----------------------------------

  /**
   * {@link BillingStore#finalizeInvoice} takes the credit-note and wallet balances the invoice
   * applied in its own transaction: a finalized invoice has always spent them, and a balance that
   * went down since the draft refuses the finalization with nothing written.
   */
  @Nested
  class FinalizationTakesTheAppliedCredit {
    /** A draft of month 1 applying 5.00 of credit notes and 3.00 of the wallet. */
    private Versioned<Invoice> applying(TenantId tenant, String id) {
      InvoicePeriod period = InvoicePeriod.month(2026, 1);
      Invoice d =
          InvoiceCalculator.standard()
              .calculate(
                  InvoiceRequest.builder(id, tenant, Money.currency("USD"), period, period.end())
                      .usage(Charge.flat("base", new FlatPrice(new BigDecimal("29"))), Usage.NONE)
                      .creditBalance(usd("5.00"))
                      .prepaidBalance(usd("3.00"))
                      .build());
      assertThat(d.creditNotesApplied()).isEqualTo(usd("5.00"));
      assertThat(d.prepaidCreditsApplied()).isEqualTo(usd("3.00"));
      return store.insertDraft(d, "sub:s1:" + d.period().start() + ":" + id).invoice();
    }

    @Test
    void finalizingTakesBothBalancesOnceForTheInvoice() {
      store.credit(a, CreditAccount.CREDIT_NOTES, "cn-1", usd("7.00"));
      store.credit(a, CreditAccount.WALLET, "grant:1", usd("3.00"));
      Versioned<Invoice> d = applying(a, "inv-1");

      Invoice issued =
          store.finalizeInvoice(a, "inv-1", d.version(), issuer, ISSUED).orElseThrow().value();

      assertThat(issued.status()).isEqualTo(InvoiceStatus.FINALIZED);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, usd("0").currency()))
          .isEqualTo(usd("2.00"));
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()).isZero()).isTrue();
      // Taken once, keyed by the invoice: a later consume for it takes nothing.
      assertThat(store.consume(a, CreditAccount.CREDIT_NOTES, "inv-1", usd("1.00"))).isFalse();
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, usd("0").currency()))
          .isEqualTo(usd("2.00"));
    }

    @Test
    void aShortBalanceRefusesTheFinalizationAndWritesNothing() {
      store.credit(a, CreditAccount.CREDIT_NOTES, "cn-1", usd("5.00"));
      store.credit(a, CreditAccount.WALLET, "grant:1", usd("2.99"));
      Versioned<Invoice> d = applying(a, "inv-1");

      assertThatThrownBy(() -> store.finalizeInvoice(a, "inv-1", d.version(), issuer, ISSUED))
          .isInstanceOf(ConflictException.class);

      assertThat(store.invoice(a, "inv-1")).contains(d);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, usd("0").currency()))
          .isEqualTo(usd("5.00"));
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()))
          .isEqualTo(usd("2.99"));
      // No number was used and no ledger entry kept: with the balance there, it finalizes as 1.
      store.credit(a, CreditAccount.WALLET, "grant:2", usd("0.01"));
      Invoice issued =
          store.finalizeInvoice(a, "inv-1", d.version(), issuer, ISSUED).orElseThrow().value();
      assertThat(issued.number()).isEqualTo(issuer.number(2026, 1));
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, usd("0").currency()).isZero())
          .isTrue();
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()).isZero()).isTrue();
    }

    @Test
    void racingFinalizationsOfInvoicesSharingABalanceNeverOverspendIt() throws Exception {
      store.credit(a, CreditAccount.CREDIT_NOTES, "cn-1", usd("5.00"));
      store.credit(a, CreditAccount.WALLET, "grant:1", usd("3.00"));
      List<Versioned<Invoice>> drafts = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        drafts.add(applying(a, "inv-" + i));
      }
      List<Boolean> done =
          race(
              4,
              i -> {
                try {
                  return store
                      .finalizeInvoice(a, "inv-" + i, drafts.get(i).version(), issuer, ISSUED)
                      .isPresent();
                } catch (ConflictException e) {
                  return false;
                }
              });
      assertThat(done).containsOnlyOnce(true);
      assertThat(store.balance(a, CreditAccount.CREDIT_NOTES, usd("0").currency()).isZero())
          .isTrue();
      assertThat(store.balance(a, CreditAccount.WALLET, usd("0").currency()).isZero()).isTrue();
    }
  }
}
