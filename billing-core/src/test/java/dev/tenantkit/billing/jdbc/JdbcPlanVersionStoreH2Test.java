package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.plan.testkit.PlanVersionStoreContract;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
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

  @Test
  void aDocumentNamingAClassOutsideThePricePackageIsNotRead() {
    HikariDataSource db = pool();
    PlanVersionStore store = JdbcPlanVersionStore.builder(db).build();
    PriceCatalog.defaults().publish(store);
    JdbcStorage.of(db)
        .useTransaction(
            h ->
                h.execute(
                    "update tenantkit_billing_plan_versions set document = replace(document,"
                        + " 'dev.tenantkit.billing.price.FlatPrice', 'java.util.ArrayList')"));
    assertThatThrownBy(() -> store.latest("starter")).isInstanceOf(IllegalStateException.class);
  }
}
