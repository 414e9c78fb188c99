package dev.tenantkit.billing.jdbc;

import static dev.tenantkit.billing.testkit.BillingFixtures.draft;
import static dev.tenantkit.billing.testkit.BillingFixtures.subscription;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.CreditAccount;
import dev.tenantkit.billing.testkit.BillingStoreContract;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import dev.tenantkit.tenancy.testkit.TenantKeys;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL, as an ordinary role under row-level security. */
class JdbcBillingStorePostgresTest extends BillingStoreContract {
  private static HikariDataSource db;
  private static HikariDataSource second;
  private static JdbcBillingStore shared;

  @BeforeAll
  static void startDatabase() {
    db = pool(PostgresFixture.newDatabase());
    second = pool(db.getDataSource());
    shared = JdbcBillingStore.builder(db).build();
  }

  private static HikariDataSource pool(javax.sql.DataSource source) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(source);
    config.setMaximumPoolSize(16);
    return new HikariDataSource(config);
  }

  @AfterAll
  static void stopDatabase() {
    second.close();
    db.close();
  }

  @Override
  protected BillingStore newStore() {
    return shared;
  }

  @Test
  void tenantIdLeadsEveryKey() {
    TenantKeys.leadEveryKey(shared.storage().jdbi(), BillingSchema.TENANT_TABLES);
  }

  @Test
  void twoInstancesShareKeysAndNumbers() throws Exception {
    TwoInstances.check(
        shared, JdbcBillingStore.builder(second).migrate(false).build(), a, b, issuer);
  }

  @Test
  void rowLevelSecurityConfinesEveryBillingTableToTheBoundTenant() {
    shared.insertSubscription(subscription(a));
    shared.insertSubscription(subscription(b));
    for (var t : List.of(a, b)) {
      Invoice d = draft(t, "inv-1", 1, "29");
      shared.insertDraft(d, "k");
      var f = shared.finalizeInvoice(t, "inv-1", 1, issuer, LocalDate.of(2026, 2, 1)).orElseThrow();
      shared.insertCreditNote(
          dev.tenantkit.billing.invoice.CreditNotes.issue(
              f.value(),
              List.of(),
              dev.tenantkit.billing.invoice.CreditNoteRequest.whole(
                  "cn-1",
                  LocalDate.of(2026, 2, 2),
                  dev.tenantkit.billing.invoice.CreditNoteReason.OTHER,
                  "",
                  dev.tenantkit.billing.invoice.CreditNoteMethod.CREDIT_BACK)),
          0);
      shared.credit(t, CreditAccount.WALLET, "grant:g", Money.of("5", "USD"));
    }
    JdbcStorage storage = shared.storage();
    for (String table : BillingSchema.TENANT_TABLES) {
      // No tenant bound: a query that forgets the filter sees no row, though both tenants have
      // some.
      long unbound =
          storage.inTransaction(
              h -> h.createQuery("select count(*) from " + table).mapTo(Long.class).one());
      assertThat(unbound).as(table).isZero();
      // A bound: A's rows only.
      List<String> seen =
          storage.inTenantTransaction(
              a,
              h ->
                  h.createQuery("select distinct tenant_id from " + table)
                      .mapTo(String.class)
                      .list());
      assertThat(seen).as(table).containsExactly(a.value());
    }
    // Writing B's invoice while bound to A is refused by the policy's WITH CHECK.
    assertThatThrownBy(
            () ->
                storage.useTenantTransaction(
                    a,
                    h ->
                        h.execute(
                            "update tenantkit_billing_invoices set tenant_id = ? where tenant_id"
                                + " = ?",
                            b.value(),
                            a.value())))
        .isInstanceOf(JdbiException.class);
    // An operator transaction reads subscriptions and invoices across tenants, and writes nothing.
    long invoices =
        storage.inAllTenantsTransaction(
            h ->
                h.createQuery(
                        "select count(*) from tenantkit_billing_invoices where tenant_id in (?, ?)")
                    .bind(0, a.value())
                    .bind(1, b.value())
                    .mapTo(Long.class)
                    .one());
    assertThat(invoices).isEqualTo(2);
    int deleted =
        storage.inAllTenantsTransaction(
            h ->
                h.execute("delete from tenantkit_billing_invoices where tenant_id = ?", a.value()));
    assertThat(deleted).isZero();
  }

  @Test
  void aFinalizationThatFailsAfterTakingItsNumberGivesItBack() {
    // A trigger makes the invoice's update fail after the sequence row was incremented in the
    // same transaction, as a crash or a lost connection at that point would.
    shared
        .storage()
        .useTransaction(
            h -> {
              h.execute(
                  "create function fail_boom() returns trigger language plpgsql as $$ begin if"
                      + " new.id = 'boom' and new.status = 'finalized' then raise exception"
                      + " 'boom'; end if; return new; end $$");
              h.execute(
                  "create trigger fail_boom before update on tenantkit_billing_invoices"
                      + " for each row execute function fail_boom()");
            });
    try {
      shared.insertDraft(draft(a, "boom", 1, "29"), "boom");
      shared.insertDraft(draft(a, "inv-1", 1, "29"), "ok");
      assertThatThrownBy(
              () -> shared.finalizeInvoice(a, "boom", 1, issuer, LocalDate.of(2026, 2, 1)))
          .isInstanceOf(JdbiException.class);
      assertThat(shared.invoice(a, "boom").orElseThrow().value().isDraft()).isTrue();
      assertThat(
              shared
                  .finalizeInvoice(a, "inv-1", 1, issuer, LocalDate.of(2026, 2, 1))
                  .orElseThrow()
                  .value()
                  .number())
          .isEqualTo(issuer.number(2026, 1));
    } finally {
      shared
          .storage()
          .useTransaction(
              h -> {
                h.execute("drop trigger fail_boom on tenantkit_billing_invoices");
                h.execute("drop function fail_boom()");
              });
    }
  }

  @Test
  void amountsKeepTheirScaleInTheDocument() {
    Invoice d =
        InvoiceCalculator.standard()
            .calculate(
                InvoiceRequest.builder(
                        "inv-kwd",
                        a,
                        Money.currency("KWD"),
                        InvoicePeriod.month(2026, 1),
                        LocalDate.of(2026, 2, 1))
                    .usage(Charge.flat("base", new FlatPrice(new BigDecimal("1.005"))), Usage.NONE)
                    .build());
    shared.insertDraft(d, "kwd");
    assertThat(shared.invoice(a, "inv-kwd").orElseThrow().value()).isEqualTo(d);
  }
}
