package dev.tenantkit.tenancy.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The rules of the map (ARCHITECTURE.md) that every core module obeys, checked with ArchUnit. Each
 * core's {@code ArchitectureTest} calls {@link #check(String)} with its root package.
 */
public final class CoreArchitecture {
  private CoreArchitecture() {}

  /**
   * Fails if the core under {@code rootPackage} imports a framework or an adapter, uses a backend
   * library outside its backend package, or lets its SPI depend on implementations.
   */
  public static void check(String rootPackage) {
    JavaClasses core =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages(rootPackage);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "jakarta.servlet..",
            "javax.servlet..",
            "dev.tenantkit.adapters..")
        .check(core);
    noClasses()
        .that()
        .resideOutsideOfPackage("..jwt..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.nimbusds..")
        .check(core);
    noClasses()
        .that()
        .resideOutsideOfPackage("..jdbc..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.h2..",
            "org.jdbi..",
            "org.flywaydb..",
            "com.zaxxer..",
            "org.postgresql..",
            "dev.tenantkit.tenancy.jdbc..")
        .check(core);
    noClasses()
        .that()
        .resideInAnyPackage("..spi..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("..internal..", "..memory..", "..jdbc..")
        // A core may not have a storage SPI yet while it is being built.
        .allowEmptyShould(true)
        .check(core);
  }
}
