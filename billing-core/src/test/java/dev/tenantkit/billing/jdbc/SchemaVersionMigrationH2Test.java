package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.testkit.BillingFixtures;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.time.LocalDate;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Migration V1_6 and the schema_version column: rows stored before it (the reflective Jackson form)
 * are tagged 0 and refused by name; rows written now carry 1 and read back.
 */
class SchemaVersionMigrationH2Test {
  private static final TenantId ACME = TenantId.of("acme");
  private final HikariDataSource db = EmbeddedDatabase.h2InMemory("schema-versions");

  @AfterEach
  void close() {
    db.close();
  }

  /** Billing's schema as it was before V1_6, with one row of each kind in the old form. */
  private void schemaBeforeVersions() {
    Flyway.configure(getClass().getClassLoader())
        .dataSource(db)
        .table(JdbcStorage.historyTable(JdbcBillingStore.MODULE))
        .locations(JdbcBillingStore.COMMON_LOCATION)
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .target("1.5")
        .load()
        .migrate();
    JdbcStorage.of(db)
        .useTransaction(
            h -> {
              h.execute(
                  "insert into tenantkit_billing_plan_versions (plan_id, version, fingerprint,"
                      + " document, published_at) values ('starter', 1, 'sha256:00',"
                      + " '{\"v\":1,\"currency\":\"USD\"}', current_timestamp)");
              h.execute(
                  "insert into tenantkit_billing_invoices (tenant_id, id, idempotency_key,"
                      + " period_start, period_end, status, currency, total, amount_due,"
                      + " issue_date, due_date, document, version) values ('acme', 'inv-old',"
                      + " 'k', date '2026-01-01', date '2026-02-01', 'draft', 'USD', 0, 0,"
                      + " date '2026-02-01', date '2026-03-03', '{\"v\":1}', 1)");
            });
  }

  private List<Integer> schemaVersions(String sql) {
    return JdbcStorage.of(db).inTransaction(h -> h.createQuery(sql).mapTo(Integer.class).list());
  }

  @Test
  void rowsStoredBeforeSchemaVersionsAreTaggedZeroAndRefused() {
    schemaBeforeVersions();
    JdbcBillingStore store = JdbcBillingStore.builder(db).build();
    PlanVersionStore versions = JdbcPlanVersionStore.builder(db).build();

    assertThat(
            schemaVersions(
                "select schema_version from tenantkit_billing_invoices"
                    + " union all select schema_version"
                    + " from tenantkit_billing_plan_versions"))
        .containsExactly(0, 0);
    assertThatThrownBy(() -> store.invoice(ACME, "inv-old"))
        .isInstanceOfSatisfying(
            StoredDocumentException.class, e -> assertThat(e.schemaVersion()).isZero())
        .hasMessageContaining("before stored documents had a schema version");
    assertThatThrownBy(() -> versions.latest("starter"))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("plan version starter v1");
  }

  @Test
  void rowsWrittenNowCarryVersionOneAndReadBack() {
    JdbcBillingStore store = JdbcBillingStore.builder(db).build();
    PlanVersionStore versions = JdbcPlanVersionStore.builder(db).build();
    PriceCatalog.defaults().publish(versions);
    Invoice draft = BillingFixtures.draft(ACME, "inv-1", 1, "29");
    store.insertDraft(draft, "key-1");
    store.finalizeInvoice(
        ACME,
        "inv-1",
        1,
        new Issuer("Tenantkit Ltd", List.of(), "", "TK"),
        LocalDate.of(2026, 2, 1));

    assertThat(
            schemaVersions(
                "select distinct schema_version from tenantkit_billing_invoices"
                    + " union select distinct schema_version"
                    + " from tenantkit_billing_plan_versions"))
        .containsExactly(StoredDocumentException.CURRENT);
    assertThat(store.invoice(ACME, "inv-1").orElseThrow().value().number())
        .hasToString("TK-2026-000001");
    PlanVersion starter = versions.latest("starter").orElseThrow();
    assertThat(starter.prices()).isEqualTo(PriceCatalog.defaults().prices().get("starter"));
  }
}
