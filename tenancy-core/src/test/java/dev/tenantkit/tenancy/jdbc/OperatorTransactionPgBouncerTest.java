package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.PgBouncerFixture;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Operator and tenant transactions through a transaction-mode PgBouncer with one server connection:
 * every transaction runs on the session the one before it used, so a setting that outlived its
 * transaction would show.
 */
class OperatorTransactionPgBouncerTest {
  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  @Test
  void theOperatorSettingStaysInItsTransaction() {
    PGSimpleDataSource target = (PGSimpleDataSource) PostgresFixture.newDatabase();
    try (PgBouncerFixture bouncer = PgBouncerFixture.transactionPool(target, 1)) {
      // Migrated directly: Flyway holds a session lock on one connection while it works on another.
      OperatorTransactionTest.ledger(JdbcStorage.of(target));
      JdbcStorage storage = JdbcStorage.of(databases.pool(bouncer.dataSource(target), 4));
      for (int i = 0; i < 5; i++) {
        assertThat(storage.inAllTenantsTransaction(OperatorTransactionTest::rows)).hasSize(3);
        assertThat(storage.inTransaction(OperatorTransactionTest::rows)).isEmpty();
        assertThat(storage.inTenantTransaction(TenantId.of("b"), OperatorTransactionTest::rows))
            .containsExactly("b:1");
      }
    }
  }
}
