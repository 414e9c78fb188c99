package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {
  private static final Tenant ACME =
      new Tenant(
          TenantId.of("acme"),
          "Acme",
          "free",
          TenantStatus.ACTIVE,
          TenantSettings.defaults(),
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:00:00Z"),
          null,
          1);

  @Test
  void aFileDatabaseSurvivesClosingAndReopening(@TempDir Path dir) {
    try (HikariDataSource db = EmbeddedDatabase.h2File(dir)) {
      JdbcTenancyStore.builder(db).build().tenants().insert(ACME);
    }
    assertThat(dir.resolve("tenantkit.mv.db")).exists();
    try (HikariDataSource db = EmbeddedDatabase.h2File(dir)) {
      JdbcTenancyStore store = JdbcTenancyStore.builder(db).build();
      assertThat(store.storage().dialect()).isEqualTo(Dialect.H2);
      assertThat(store.tenants().find(ACME.id())).contains(ACME);
    }
  }

  @Test
  void anInMemoryDatabaseLivesWhileItsPoolIsOpenAndIsDroppedWithIt() {
    try (HikariDataSource db = EmbeddedDatabase.h2InMemory("embedded-test")) {
      JdbcTenancyStore.builder(db).build().tenants().insert(ACME);
      db.getHikariPoolMXBean().softEvictConnections();
      assertThat(JdbcTenancyStore.builder(db).build().tenants().find(ACME.id())).contains(ACME);
    }
    try (HikariDataSource db = EmbeddedDatabase.h2InMemory("embedded-test")) {
      JdbcStorage storage = JdbcStorage.of(db);
      assertThat(
              storage.migrate(
                  JdbcTenancyStore.MODULE,
                  JdbcTenancyStore.COMMON_LOCATION,
                  JdbcTenancyStore.VENDOR_LOCATION))
          .as("all of H2's tenancy migrations, V1 and V1_2, again")
          .isEqualTo(2);
    }
  }

  @Test
  void refusesAMalformedName() {
    assertThatThrownBy(() -> EmbeddedDatabase.h2InMemory("a;INIT=runscript from 'x'"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EmbeddedDatabase.h2InMemory(""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
