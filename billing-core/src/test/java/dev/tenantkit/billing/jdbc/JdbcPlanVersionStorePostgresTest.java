package dev.tenantkit.billing.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.plan.testkit.PlanVersionStoreContract;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/** The plan version contract on PostgreSQL, each test on a fresh database. */
class JdbcPlanVersionStorePostgresTest extends PlanVersionStoreContract {
  private static final List<HikariDataSource> POOLS = new ArrayList<>();

  @AfterAll
  static void close() {
    POOLS.forEach(HikariDataSource::close);
    POOLS.clear();
  }

  @Override
  protected PlanVersionStore newStore() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(PostgresFixture.newDatabase());
    config.setMaximumPoolSize(16);
    HikariDataSource pool = new HikariDataSource(config);
    POOLS.add(pool);
    return JdbcPlanVersionStore.builder(pool).build();
  }
}
