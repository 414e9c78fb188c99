package dev.tenantkit.billing.memory;

import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.testkit.BillingStoreContract;

class InMemoryBillingStoreTest extends BillingStoreContract {
  @Override
  protected BillingStore newStore() {
    return new InMemoryBillingStore();
  }
}
