package dev.tenantkit.metering.memory;

import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.AggregationContract;

class InMemoryAggregationTest extends AggregationContract {
  @Override
  protected UsageStore newStore() {
    return InMemoryUsageStore.create();
  }
}
