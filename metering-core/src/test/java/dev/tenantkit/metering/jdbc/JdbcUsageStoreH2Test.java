package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.UsageStoreContract;
import org.junit.jupiter.api.AfterEach;

class JdbcUsageStoreH2Test extends UsageStoreContract {
  private HikariDataSource db;

  @Override
  protected UsageStore newStore() {
    db = Databases.h2();
    return JdbcUsageStore.builder(db).build();
  }

  /**
   * Embedded H2 writes one transaction at a time, row by row through JDBC batches: a million events
   * take minutes here, so H2 runs a twentieth of them; memory and PostgreSQL run the full million.
   */
  @Override
  protected int concurrentEvents() {
    return 50_000;
  }

  @Override
  protected int concurrentSingleEvents() {
    return 5_000;
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }
}
