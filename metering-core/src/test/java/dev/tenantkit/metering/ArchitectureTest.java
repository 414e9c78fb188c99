package dev.tenantkit.metering;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of the map (ARCHITECTURE.md) that concern metering-core. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tenantkit.metering");

  @Test
  void theCoreKnowsNoFrameworkAndNoAdapter() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.servlet..",
            "javax.servlet..",
            "dev.tenantkit.adapters..")
        .check(CORE);
  }

  @Test
  void jdbcLibrariesStayInTheJdbcBackend() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tenantkit.metering.jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.h2..",
            "org.jdbi..",
            "org.flywaydb..",
            "com.zaxxer..",
            "dev.tenantkit.tenancy.jdbc..")
        .check(CORE);
  }

  @Test
  void theSketchLibraryStaysInternal() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tenantkit.metering.internal..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.datadoghq..")
        .check(CORE);
  }

  @Test
  void theApiAndSpiDoNotDependOnImplementations() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tenantkit.metering.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tenantkit.metering.internal..",
            "dev.tenantkit.metering.memory..",
            "dev.tenantkit.metering.jdbc..")
        .check(CORE);
  }
}
