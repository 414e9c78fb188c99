package dev.tenantkit.billing.run;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/** Billing runs on H2; the second instance is a second pool and store on the same database. */
class BillingRunnerH2Test extends BillingRunnerContract {
  private static final AtomicInteger DB = new AtomicInteger();
  private final List<HikariDataSource> pools = new ArrayList<>();
  private String name;

  @Override
  BillingStore newStore() {
    name = "billing-runs-" + DB.incrementAndGet();
    HikariDataSource db = EmbeddedDatabase.h2InMemory(name);
    pools.add(db);
    return JdbcBillingStore.builder(db).build();
  }

  @Override
  BillingStore secondInstance() {
    HikariDataSource db = EmbeddedDatabase.h2InMemory(name);
    pools.add(db);
    return JdbcBillingStore.builder(db).migrate(false).build();
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }
}
