package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import dev.tenantkit.tenancy.testkit.TenancyStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The store contract, migrations included, through a real PgBouncer in transaction pooling mode
 * with two server connections per database.
 */
class JdbcTenancyStorePgBouncerTest extends TenancyStoreContract {
  private static PgBouncerFixture bouncer;

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
  protected TenancyStore newStore() {
    PGSimpleDataSource db = (PGSimpleDataSource) PostgresFixture.newDatabase();
    return JdbcTenancyStore.builder(bouncer.dataSource(db)).build();
  }
}
