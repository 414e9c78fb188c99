package dev.tenantkit.billing.plan.memory;

import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.plan.testkit.PlanVersionStoreContract;

class InMemoryPlanVersionStoreTest extends PlanVersionStoreContract {
  @Override
  protected PlanVersionStore newStore() {
    return new InMemoryPlanVersionStore();
  }
}
