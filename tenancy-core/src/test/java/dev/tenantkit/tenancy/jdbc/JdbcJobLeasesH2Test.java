package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.testkit.JobLeasesContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;

class JdbcJobLeasesH2Test extends JobLeasesContract {
  private final TestDatabases databases = new TestDatabases();
  private DataSource db;

  @Override
  protected JobLeases newLeases() {
    db = databases.create(Dialect.H2);
    JdbcStorage storage = JdbcStorage.of(db);
    JdbcTenancyStore.migrate(storage);
    return JdbcJobLeases.of(storage);
  }

  @Override
  protected JobLeases sameStoreAgain() {
    return JdbcJobLeases.of(JdbcStorage.of(databases.another(db)));
  }

  @AfterEach
  void close() {
    databases.close();
  }
}
