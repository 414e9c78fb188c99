package dev.tenantkit.tenancy.memory;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.testkit.JobLeasesContract;

class InMemoryJobLeasesTest extends JobLeasesContract {
  @Override
  protected JobLeases newLeases() {
    return InMemoryJobLeases.create();
  }
}
