package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.testkit.JobLeasesContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

/** The job lease contract on a real PostgreSQL, as the ordinary application role. */
class JdbcJobLeasesPostgresTest extends JobLeasesContract {
  private final TestDatabases databases = new TestDatabases();
  private DataSource db;

  @Override
  protected JobLeases newLeases() {
    db = databases.create(Dialect.POSTGRESQL);
    JdbcStorage storage = JdbcStorage.of(databases.pool(db, 8));
    JdbcTenancyStore.migrate(storage);
    return JdbcJobLeases.of(storage);
  }

  @Override
  protected JobLeases sameStoreAgain() {
    return JdbcJobLeases.of(JdbcStorage.of(databases.pool(db, 8)));
  }

  @AfterEach
  void close() {
    databases.close();
  }
}
