package dev.tenantkit.metering.quota.memory;

import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.QuotaStoreContract;

class InMemoryQuotaStoreTest extends QuotaStoreContract {
  @Override
  protected QuotaStore newStore() {
    return InMemoryQuotaStore.create();
  }
}
