package dev.tenantkit.metering.quota.jdbc;

import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.QuotaStoreContract;
import dev.tenantkit.tenancy.testkit.PgBouncerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The quota store contract, its concurrency tests and migrations included, through a real PgBouncer
 * in transaction pooling mode: an app pool of 16 connections shares two server connections.
 */
class JdbcQuotaStorePgBouncerTest extends QuotaStoreContract {
  private static PgBouncerPool pooled;
  private static JdbcQuotaStore shared;

  @BeforeAll
  static void start() {
    pooled = PgBouncerPool.start(2, 16);
    shared = JdbcQuotaStore.builder(pooled.dataSource()).build();
  }

  @AfterAll
  static void stop() {
    if (pooled != null) {
      pooled.close();
    }
  }

  @Override
  protected QuotaStore newStore() {
    return shared;
  }
}
