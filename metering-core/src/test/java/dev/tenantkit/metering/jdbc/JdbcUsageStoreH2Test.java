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

  /** Embedded H2 writes one transaction at a time and is the slowest backend here. */
  @Override
  protected int concurrentEvents() {
    return 25_000;
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }
}
