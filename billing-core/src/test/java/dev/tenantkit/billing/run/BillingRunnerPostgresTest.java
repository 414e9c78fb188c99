package dev.tenantkit.billing.run;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/**
 * Billing runs on a real PostgreSQL, as the ordinary role under row-level security; the second
 * instance is a second pool and store on the same database.
 */
class BillingRunnerPostgresTest extends BillingRunnerContract {
  private final List<HikariDataSource> pools = new ArrayList<>();
  private DataSource database;

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(database);
    config.setMaximumPoolSize(8);
    HikariDataSource pool = new HikariDataSource(config);
    pools.add(pool);
    return pool;
  }

  @Override
  BillingStore newStore() {
    database = PostgresFixture.newDatabase();
    return JdbcBillingStore.builder(pool()).build();
  }

  @Override
  BillingStore secondInstance() {
    return JdbcBillingStore.builder(pool()).migrate(false).build();
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }
}
