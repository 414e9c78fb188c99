package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import dev.tenantkit.tenancy.testkit.TenancyStoreContract;

class JdbcTenancyStorePostgresTest extends TenancyStoreContract {
  @Override
  protected TenancyStore newStore() {
    return JdbcTenancyStore.builder(PostgresFixture.newDatabase()).build();
  }
}
