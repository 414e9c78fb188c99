package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.UsageStoreContract;
import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The usage store contract, migrations, rollups, purge and the job lease included, through a real
 * PgBouncer in transaction pooling mode: an app pool of 10 connections shares two server
 * connections per database.
 */
class JdbcUsageStorePgBouncerTest extends UsageStoreContract {
  private static PgBouncerFixture bouncer;
  private HikariDataSource db;

  @BeforeAll
  static void startBouncer() {
    bouncer =
        PgBouncerFixture.transactionPool((PGSimpleDataSource) PostgresFixture.newDatabase(), 2);
  }

  @AfterAll
  static void stopBouncer() {
    if (bouncer != null) {
      bouncer.close();
    }
  }

  @Override
  protected UsageStore newStore() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(bouncer.dataSource((PGSimpleDataSource) PostgresFixture.newDatabase()));
    config.setMaximumPoolSize(10);
    config.setPoolName("metering-pgbouncer");
    db = new HikariDataSource(config);
    return JdbcUsageStore.builder(db).build();
  }

  /** The direct PostgreSQL test runs the full million; through the pooler a tenth proves it. */
  @Override
  protected int concurrentEvents() {
    return 100_000;
  }

  @Override
  protected int concurrentSingleEvents() {
    return 5_000;
  }

  @AfterEach
  void closeDatabase() {
    if (db != null) {
      db.close();
    }
  }
}
