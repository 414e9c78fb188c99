package dev.tenantkit.billing.jdbc;

import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.testkit.BillingStoreContract;
import dev.tenantkit.tenancy.testkit.PgBouncerPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The billing store contract, its concurrency tests and migrations included, through a real
 * PgBouncer in transaction pooling mode: an app pool of 16 connections shares two server
 * connections.
 */
class JdbcBillingStorePgBouncerTest extends BillingStoreContract {
  private static PgBouncerPool pooled;
  private static JdbcBillingStore shared;

  @BeforeAll
  static void start() {
    pooled = PgBouncerPool.start(2, 16);
    shared = JdbcBillingStore.builder(pooled.dataSource()).build();
  }

  @AfterAll
  static void stop() {
    if (pooled != null) {
      pooled.close();
    }
  }

  @Override
  protected BillingStore newStore() {
    return shared;
  }
}
