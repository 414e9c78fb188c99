package dev.tenantkit.tenancy.memory;

import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.TenancyStoreContract;

class InMemoryTenancyStoreTest extends TenancyStoreContract {
  @Override
  protected TenancyStore newStore() {
    return InMemoryTenancyStore.create();
  }
}
