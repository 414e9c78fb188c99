package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.testkit.JobLeasesContract;
import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The job lease contract through a real PgBouncer in transaction pooling mode with two server
 * connections per database, every instance's connections sharing them.
 */
class JdbcJobLeasesPgBouncerTest extends JobLeasesContract {
  private static PgBouncerFixture bouncer;
  private PGSimpleDataSource db;

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
  protected JobLeases newLeases() {
    db = bouncer.dataSource((PGSimpleDataSource) PostgresFixture.newDatabase());
    JdbcStorage storage = JdbcStorage.of(db);
    JdbcTenancyStore.migrate(storage);
    return JdbcJobLeases.of(storage);
  }

  @Override
  protected JobLeases sameStoreAgain() {
    return JdbcJobLeases.of(JdbcStorage.of(db));
  }
}
