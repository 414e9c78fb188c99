package dev.tenantkit.billing.run;

import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.spi.BillingStore;

class BillingRunnerMemoryTest extends BillingRunnerContract {
  @Override
  BillingStore newStore() {
    return new InMemoryBillingStore();
  }

  @Override
  BillingStore secondInstance() {
    return store;
  }
}
