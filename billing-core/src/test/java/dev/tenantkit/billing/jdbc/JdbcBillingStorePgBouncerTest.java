package dev.tenantkit.billing.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.testkit.BillingStoreContract;
import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The billing store contract, its concurrency tests and migrations included, through a real
 * PgBouncer in transaction pooling mode: an app pool of 16 connections shares two server
 * connections.
 */
class JdbcBillingStorePgBouncerTest extends BillingStoreContract {
  private static PgBouncerFixture bouncer;
  private static HikariDataSource pool;
  private static JdbcBillingStore shared;

  @BeforeAll
  static void start() {
    PGSimpleDataSource db = (PGSimpleDataSource) PostgresFixture.newDatabase();
    bouncer = PgBouncerFixture.transactionPool(db, 2);
    HikariConfig config = new HikariConfig();
    config.setDataSource(bouncer.dataSource(db));
    config.setMaximumPoolSize(16);
    pool = new HikariDataSource(config);
    shared = JdbcBillingStore.builder(pool).build();
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Override
  protected BillingStore newStore() {
    return shared;
  }
}
