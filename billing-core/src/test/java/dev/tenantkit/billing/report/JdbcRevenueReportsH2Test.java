package dev.tenantkit.billing.report;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** The reports on {@link JdbcBillingStore} over H2: a new database per test. */
class JdbcRevenueReportsH2Test extends RevenueReportsContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private HikariDataSource db;

  @Override
  protected BillingStore newStore() {
    db = EmbeddedDatabase.h2InMemory("revenue-reports-" + DATABASES.incrementAndGet());
    return JdbcBillingStore.builder(db).build();
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }
}
