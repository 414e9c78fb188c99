package dev.tenantkit.billing;

import dev.tenantkit.tenancy.testkit.CoreArchitecture;
import org.junit.jupiter.api.Test;

/** The rules of the map (ARCHITECTURE.md) for billing-core. */
class ArchitectureTest {

  @Test
  void followsTheRulesOfEveryCore() {
    CoreArchitecture.check("dev.tenantkit.billing");
  }
}
