package dev.tenantkit.metering.memory;

import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.UsageStoreContract;

class InMemoryUsageStoreTest extends UsageStoreContract {
  @Override
  protected UsageStore newStore() {
    return InMemoryUsageStore.create();
  }

  @Override
  protected int randomEvents() {
    return 20_000;
  }
}
