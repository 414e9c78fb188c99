package dev.tenantkit.billing.report;

import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.spi.BillingStore;

class InMemoryRevenueReportsTest extends RevenueReportsContract {
  @Override
  protected BillingStore newStore() {
    return new InMemoryBillingStore();
  }
}
