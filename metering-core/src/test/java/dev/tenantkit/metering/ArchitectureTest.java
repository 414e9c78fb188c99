package dev.tenantkit.metering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tenantkit.tenancy.testkit.CoreArchitecture;
import org.junit.jupiter.api.Test;

/** The rules of the map (ARCHITECTURE.md) for metering-core, and its own. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("dev.tenantkit.metering");

  @Test
  void followsTheRulesOfEveryCore() {
    CoreArchitecture.check("dev.tenantkit.metering");
  }

  @Test
  void optionalLibrariesStayWhereTheyAreUsed() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.datadoghq..")
        .check(CORE);
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.tenantkit.metering.quota.internal.YamlTrees")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson.dataformat.yaml..", "org.yaml..")
        .check(CORE);
  }

  @Test
  void quotasDoNotReachIntoUsageEventInternals() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tenantkit.metering.quota..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tenantkit.metering.spi..",
            "dev.tenantkit.metering.memory..",
            "dev.tenantkit.metering.jdbc..",
            "dev.tenantkit.metering.internal..")
        .check(CORE);
  }
}
