package dev.tenantkit.tenancy;

import dev.tenantkit.tenancy.testkit.CoreArchitecture;
import org.junit.jupiter.api.Test;

/** The rules of the map (ARCHITECTURE.md) for tenancy-core. */
class ArchitectureTest {
  @Test
  void followsTheRulesOfEveryCore() {
    CoreArchitecture.check("dev.tenantkit.tenancy");
  }
}
