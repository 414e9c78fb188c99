package dev.tenantkit.metering.quota;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of ARCHITECTURE.md that concern the quota packages. */
class QuotaArchitectureTest {
  private static final JavaClasses QUOTA =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tenantkit.metering.quota");

  @Test
  void quotasKnowNoFrameworkAndNoAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.servlet..",
            "javax.servlet..",
            "dev.tenantkit.adapters..")
        .check(QUOTA);
  }

  @Test
  void storageLibrariesStayInTheJdbcPackageAndYamlInOneClass() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tenantkit.metering.quota.jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.h2..",
            "org.jdbi..",
            "org.flywaydb..",
            "com.zaxxer..",
            "dev.tenantkit.tenancy.jdbc..")
        .check(QUOTA);
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.tenantkit.metering.quota.internal.YamlTrees")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.fasterxml.jackson.dataformat.yaml..", "org.yaml..")
        .check(QUOTA);
  }

  @Test
  void theSpiAndTheApiDoNotDependOnBackends() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tenantkit.metering.quota.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tenantkit.metering.quota.internal..",
            "dev.tenantkit.metering.quota.memory..",
            "dev.tenantkit.metering.quota.jdbc..")
        .check(QUOTA);
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tenantkit.metering.quota.memory..", "dev.tenantkit.metering.quota.jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.tenantkit.metering.quota.internal..")
        .check(QUOTA);
  }

  @Test
  void quotasDoNotReachIntoUsageEvents() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tenantkit.metering.spi..",
            "dev.tenantkit.metering.memory..",
            "dev.tenantkit.metering.jdbc..",
            "dev.tenantkit.metering.internal..")
        .check(QUOTA);
  }
}
