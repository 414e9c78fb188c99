package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.AggregationContract;
import org.junit.jupiter.api.AfterEach;

class JdbcAggregationPostgresTest extends AggregationContract {
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
