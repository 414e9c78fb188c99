package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanPricesJson;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.plan.testkit.EveryPriceOption;
import dev.tenantkit.billing.plan.testkit.PlanVersionStoreContract;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.Fee;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The plan version contract on H2, each test on a fresh in-memory database. */
class JdbcPlanVersionStoreH2Test extends PlanVersionStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final List<HikariDataSource> POOLS = new ArrayList<>();

  @AfterAll
  static void close() {
    POOLS.forEach(HikariDataSource::close);
    POOLS.clear();
  }

  private static HikariDataSource pool() {
    HikariDataSource pool =
        EmbeddedDatabase.h2InMemory("plan-versions-" + DATABASES.incrementAndGet());
    POOLS.add(pool);
    return pool;
  }

  @Override
  protected PlanVersionStore newStore() {
    return JdbcPlanVersionStore.builder(pool()).build();
  }

  private static String document(HikariDataSource db, String plan) {
    return JdbcStorage.of(db)
        .inTransaction(
            h ->
                h.createQuery(
                        "select document from tenantkit_billing_plan_versions where plan_id = :p")
                    .bind("p", plan)
                    .mapTo(String.class)
                    .one());
  }

  /** The stored document is the catalog's prices section, with no Java names in it. */
  @Test
  void theDocumentIsTheCatalogsFormAndEveryOptionReadsBack() throws Exception {
    HikariDataSource db = pool();
    PlanVersionStore store = JdbcPlanVersionStore.builder(db).build();
    PlanPrices prices = EveryPriceOption.prices();
    PlanVersion published = store.publish("everything", prices);

    assertThat(store.get("everything", 1)).contains(published);
    assertThat(store.get("everything", 1).orElseThrow().prices()).isEqualTo(prices);
    String stored = document(db, "everything");
    assertThat(stored).doesNotContain("dev.tenantkit").doesNotContain("@class");
    assertThat(new ObjectMapper().readTree(stored)).isEqualTo(PlanPricesJson.write(prices));
  }

  @Test
  void aRowOfASchemaVersionThisBuildDoesNotReadIsRefused() {
    HikariDataSource db = pool();
    PlanVersionStore store = JdbcPlanVersionStore.builder(db).build();
    PriceCatalog.defaults().publish(store);
    JdbcStorage storage = JdbcStorage.of(db);

    storage.useTransaction(
        h -> h.execute("update tenantkit_billing_plan_versions set schema_version = 0"));
    assertThatThrownBy(() -> store.latest("starter"))
        .isInstanceOfSatisfying(
            StoredDocumentException.class, e -> assertThat(e.schemaVersion()).isZero())
        .hasMessageContaining("plan version starter v1")
        .hasMessageContaining("before stored documents had a schema version");

    storage.useTransaction(
        h -> h.execute("update tenantkit_billing_plan_versions set schema_version = 2"));
    assertThatThrownBy(() -> store.get("starter", 1))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("a newer build");
  }

  @Test
  void aDocumentNotOfItsVersionsFormIsRefused() {
    HikariDataSource db = pool();
    PlanVersionStore store = JdbcPlanVersionStore.builder(db).build();
    PriceCatalog.defaults().publish(store);
    JdbcStorage.of(db)
        .useTransaction(
            h ->
                h.execute(
                    "update tenantkit_billing_plan_versions set document = replace(document,"
                        + " '\"type\":\"flat\"', '\"type\":\"java.util.ArrayList\"')"));
    assertThatThrownBy(() -> store.latest("starter"))
        .isInstanceOf(StoredDocumentException.class)
        .hasMessageContaining("not a plan's prices")
        .hasRootCauseMessage(
            "plan version starter v1: prices.charges[0].price.type: unknown price model"
                + " 'java.util.ArrayList'; one of capacity, dynamic, flat, graduated,"
                + " graduated_percentage, package, percentage, standard, volume");
  }

  @Test
  void pricesWithAModelOfAnotherPackageAreNotPublished() {
    HikariDataSource db = pool();
    PlanVersionStore store = JdbcPlanVersionStore.builder(db).build();
    PriceModel foreign =
        new PriceModel() {
          @Override
          public String type() {
            return "mine";
          }

          @Override
          public Fee price(Usage usage) {
            return new Fee(BigDecimal.ZERO, List.of());
          }

          @Override
          public String toString() {
            return "mine";
          }
        };
    PlanPrices prices =
        PlanPrices.of("USD", BillingInterval.MONTH, PlanCharge.of(Charge.flat("base", foreign)));

    assertThatThrownBy(() -> store.publish("custom", prices))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no catalog form");
    assertThat(store.latest("custom")).isEmpty();
  }
}
