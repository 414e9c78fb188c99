package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.ApiKey;
import dev.tenantkit.tenancy.ConflictException;
import dev.tenantkit.tenancy.Tenant;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantSettings;
import dev.tenantkit.tenancy.TenantStatus;
import dev.tenantkit.tenancy.spi.StoredApiKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two app instances, each with its own pool and store, sharing one database. */
class JdbcTenancyStoreTwoInstancesTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");

  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void eachInstanceSeesTheOthersWritesAndUniquenessHoldsAcrossThem(Dialect dialect) {
    DataSource db = databases.create(dialect);
    JdbcTenancyStore one = JdbcTenancyStore.builder(db).build();
    JdbcTenancyStore two = JdbcTenancyStore.builder(databases.another(db)).build();

    Tenant acme = tenant("Acme", 1);
    one.tenants().insert(acme);
    assertThat(two.tenants().find(ACME)).contains(acme);
    assertThatThrownBy(() -> two.tenants().insert(other("other", "ACME")))
        .isInstanceOf(ConflictException.class)
        .hasMessage("a tenant named 'ACME' already exists");
    assertThatThrownBy(() -> two.tenants().insert(tenant("Another name", 1)))
        .isInstanceOf(ConflictException.class)
        .hasMessage("tenant 'acme' already exists");
    Tenant beta = other("beta", "Beta");
    two.tenants().insert(beta);
    assertThatThrownBy(() -> one.tenants().update(other("beta", "acme"), 1))
        .isInstanceOf(ConflictException.class)
        .hasMessage("a tenant named 'acme' already exists");

    StoredApiKey key =
        new StoredApiKey(
            new ApiKey("KEY000000001", ACME, "ci", Set.of("*"), T0, null, null, null),
            "ab".repeat(32));
    two.apiKeys().insert(key);
    assertThat(one.apiKeys().find(ACME, "KEY000000001")).contains(key);
    assertThatThrownBy(() -> one.apiKeys().insert(key)).isInstanceOf(ConflictException.class);
    assertThat(one.apiKeys().revoke(ACME, "KEY000000001", T0.plusSeconds(1))).isTrue();
    assertThat(two.apiKeys().find(ACME, "KEY000000001").orElseThrow().key().revokedAt())
        .isEqualTo(T0.plusSeconds(1));
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void theCompareAndSetHoldsAcrossInstances(Dialect dialect) throws Exception {
    DataSource db = databases.create(dialect);
    JdbcTenancyStore one = JdbcTenancyStore.builder(db).build();
    JdbcTenancyStore two = JdbcTenancyStore.builder(databases.another(db)).build();
    one.tenants().insert(tenant("Acme", 1));

    assertThat(one.tenants().update(tenant("Acme One", 2), 1)).isTrue();
    assertThat(two.tenants().update(tenant("Acme Two", 2), 1)).isFalse();
    assertThat(two.tenants().find(ACME).orElseThrow().name()).isEqualTo("Acme One");

    List<JdbcTenancyStore> stores = List.of(one, two);
    AtomicInteger wins = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        JdbcTenancyStore store = stores.get(i % 2);
        String name = "Acme " + i;
        futures.add(
            pool.submit(
                () -> {
                  if (store.tenants().update(tenant(name, 3), 2)) {
                    wins.incrementAndGet();
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(wins).hasValue(1);
    assertThat(one.tenants().find(ACME).orElseThrow().version()).isEqualTo(3);
    assertThat(two.tenants().find(ACME)).isEqualTo(one.tenants().find(ACME));
  }

  private static Tenant other(String id, String name) {
    return new Tenant(
        TenantId.of(id),
        name,
        "free",
        TenantStatus.ACTIVE,
        TenantSettings.defaults(),
        T0,
        T0,
        null,
        1);
  }

  private static Tenant tenant(String name, long version) {
    return new Tenant(
        ACME,
        name,
        "free",
        TenantStatus.ACTIVE,
        TenantSettings.defaults(),
        T0,
        T0.plusSeconds(version),
        null,
        version);
  }
}
