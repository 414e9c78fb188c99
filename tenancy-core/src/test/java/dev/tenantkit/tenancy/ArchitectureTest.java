package dev.tenantkit.tenancy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The rules of the map (ARCHITECTURE.md) that concern tenancy-core alone. */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.tenantkit.tenancy");

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
  void optionalLibrariesStayInTheirBackendPackage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.tenantkit.tenancy.jwt..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.nimbusds..")
        .check(CORE);
    noClasses()
        .that()
        .resideOutsideOfPackage("..jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.h2..", "org.jdbi..", "org.flywaydb..", "com.zaxxer..")
        .check(CORE);
  }

  @Test
  void theSpiDoesNotDependOnImplementations() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.tenantkit.tenancy.spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.tenantkit.tenancy.internal..",
            "dev.tenantkit.tenancy.memory..",
            "dev.tenantkit.tenancy.jdbc..")
        .check(CORE);
  }
}
