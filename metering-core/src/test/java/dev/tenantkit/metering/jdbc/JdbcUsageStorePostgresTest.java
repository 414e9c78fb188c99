package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.UsageStoreContract;
import org.junit.jupiter.api.AfterEach;

class JdbcUsageStorePostgresTest extends UsageStoreContract {
  private HikariDataSource db;

  @Override
  protected UsageStore newStore() {
    db = Databases.postgres();
    return JdbcUsageStore.builder(db).build();
  }

  @AfterEach
  void closeDatabase() {
    db.close();
  }
}
