package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import javax.sql.DataSource;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcStorageTest {
  private static final String WIDGETS_COMMON = "classpath:dev/tenantkit/tenancy/jdbc/testdb/common";
  private static final String WIDGETS_VENDOR =
      "classpath:dev/tenantkit/tenancy/jdbc/testdb/{vendor}";

  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void detectsTheDialect(Dialect dialect) {
    assertThat(JdbcStorage.of(databases.create(dialect)).dialect()).isEqualTo(dialect);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void migratingTwiceIsANoOp(Dialect dialect) {
    JdbcStorage storage = JdbcStorage.of(databases.create(dialect));
    // V1 and V1_2 (job leases) everywhere; V1_1 (row-level security) and V1_3 (operator read) on
    // PostgreSQL only.
    int expected = dialect == Dialect.POSTGRESQL ? 4 : 2;
    assertThat(
            storage.migrate(
                "tenancy", JdbcTenancyStore.COMMON_LOCATION, JdbcTenancyStore.VENDOR_LOCATION))
        .isEqualTo(expected);
    assertThat(
            storage.migrate(
                "tenancy", JdbcTenancyStore.COMMON_LOCATION, JdbcTenancyStore.VENDOR_LOCATION))
        .isZero();
    int applied =
        storage.inTransaction(
            h ->
                h.createQuery(
                        "select count(*) from tenantkit_tenancy_schema_history"
                            + " where success and version is not null")
                    .mapTo(Integer.class)
                    .one());
    assertThat(applied).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void eachModuleHasItsOwnHistoryAndItsVendorFolder(Dialect dialect) {
    JdbcStorage storage = JdbcStorage.of(databases.create(dialect));
    storage.migrate("tenancy", JdbcTenancyStore.COMMON_LOCATION, JdbcTenancyStore.VENDOR_LOCATION);
    // The schema is no longer empty: the second module is baselined below its first migration.
    assertThat(storage.migrate("widgets", WIDGETS_COMMON, WIDGETS_VENDOR)).isEqualTo(2);
    assertThat(storage.migrate("widgets", WIDGETS_COMMON, WIDGETS_VENDOR)).isZero();
    String note =
        storage.inTransaction(
            h -> h.createQuery("select note from widgets").mapTo(String.class).one());
    assertThat(note).isEqualTo(dialect.vendor());
    List<String> versions =
        storage.inTransaction(
            h ->
                h.createQuery(
                        "select version from tenantkit_widgets_schema_history"
                            + " where success and version is not null order by installed_rank")
                    .mapTo(String.class)
                    .list());
    assertThat(versions).containsExactly("0", "1", "2");
  }

  @Test
  void moduleNamesAndLocationsAreValidated() {
    assertThat(JdbcStorage.historyTable("billing")).isEqualTo("tenantkit_billing_schema_history");
    for (String bad : new String[] {"", "Billing", "1x", "a-b", "a;drop", "x".repeat(41)}) {
      assertThatThrownBy(() -> JdbcStorage.historyTable(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
    JdbcStorage storage = JdbcStorage.of(databases.create(Dialect.H2));
    assertThatThrownBy(() -> storage.migrate("widgets"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTransactionThatThrowsIsRolledBack(Dialect dialect) {
    JdbcStorage storage = widgets(dialect);
    assertThatThrownBy(
            () ->
                storage.useTransaction(
                    h -> {
                      h.execute("insert into widgets (tenant_id, id, note) values ('a', 1, 'x')");
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(count(storage, "a")).isZero();
  }

  @Test
  void aTenantTransactionSetsTheTenantOnPostgresOnlyForItsDuration() {
    JdbcStorage storage = JdbcStorage.of(databases.create(Dialect.POSTGRESQL));
    String inside =
        storage.inTenantTransaction(
            TenantId.of("acme"),
            h ->
                h.createQuery("select current_setting('tenantkit.tenant_id', true)")
                    .mapTo(String.class)
                    .one());
    assertThat(inside).isEqualTo("acme");
    String after =
        storage.inTransaction(
            h ->
                h.createQuery("select coalesce(current_setting('tenantkit.tenant_id', true), '')")
                    .mapTo(String.class)
                    .one());
    assertThat(after).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void uniqueAndForeignKeyViolationsAreRecognised(Dialect dialect) {
    JdbcStorage storage = JdbcStorage.of(databases.create(dialect));
    storage.migrate("tenancy", JdbcTenancyStore.COMMON_LOCATION, JdbcTenancyStore.VENDOR_LOCATION);
    String insertTenant =
        "insert into tenantkit_tenants (tenant_id, name, name_key, plan_id, status, settings,"
            + " created_at, updated_at, version) values ('a', 'A', 'a', 'free', 'ACTIVE', '{}',"
            + " current_timestamp, current_timestamp, 1)";
    storage.useTransaction(h -> h.execute(insertTenant));
    Throwable duplicate =
        catchThrowable(() -> storage.useTransaction(h -> h.execute(insertTenant)));
    assertThat(duplicate).isInstanceOf(JdbiException.class);
    assertThat(JdbcStorage.isUniqueViolation(duplicate)).isTrue();
    assertThat(JdbcStorage.isForeignKeyViolation(duplicate)).isFalse();
    Throwable orphan =
        catchThrowable(
            () ->
                storage.useTenantTransaction(
                    TenantId.of("ghost"),
                    h ->
                        h.execute(
                            "insert into tenantkit_api_keys (tenant_id, key_id, name, secret_hash,"
                                + " scopes, created_at) values ('ghost', 'k', '', 'h', '*',"
                                + " current_timestamp)")));
    assertThat(orphan).isInstanceOf(JdbiException.class);
    assertThat(JdbcStorage.isForeignKeyViolation(orphan)).isTrue();
    assertThat(JdbcStorage.isUniqueViolation(orphan)).isFalse();
    assertThat(JdbcStorage.isUniqueViolation(new IllegalStateException("no sql"))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void instantsRoundTripExactlyWhateverTheJvmTimeZone(Dialect dialect) {
    TimeZone original = TimeZone.getDefault();
    // Both instants show as 02:30 local time in Berlin (the hour repeated when DST ends): a
    // mapping through local time would confuse them.
    List<Instant> instants =
        List.of(
            Instant.parse("2025-10-26T00:30:00.123456Z"),
            Instant.parse("2025-10-26T01:30:00.654321Z"),
            Instant.parse("1970-01-01T00:00:00Z"));
    TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
    try {
      JdbcStorage storage = JdbcStorage.of(databases.create(dialect));
      storage.useTransaction(
          h ->
              h.execute(
                  "create table times (id integer primary key, at timestamp with time zone)"));
      for (int i = 0; i < instants.size(); i++) {
        int id = i;
        storage.useTransaction(
            h ->
                h.createUpdate("insert into times (id, at) values (:id, :at)")
                    .bind("id", id)
                    .bind("at", instants.get(id))
                    .execute());
      }
      storage.useTransaction(
          h ->
              h.createUpdate("insert into times (id, at) values (99, :at)")
                  .bindByType("at", null, Instant.class)
                  .execute());
      List<Instant> read =
          storage.inTransaction(
              h ->
                  h.createQuery("select at from times where id < 99 order by id")
                      .mapTo(Instant.class)
                      .list());
      assertThat(read).containsExactlyElementsOf(instants);
      int matches =
          storage.inTransaction(
              h ->
                  h.createQuery("select count(*) from times where at = :at")
                      .bind("at", instants.get(1))
                      .mapTo(Integer.class)
                      .one());
      assertThat(matches).isEqualTo(1);
      Optional<Instant> missing =
          storage.inTransaction(
              h ->
                  h.createQuery("select at from times where id = 99")
                      .mapTo(Instant.class)
                      .findOne());
      assertThat(missing).isEmpty();
    } finally {
      TimeZone.setDefault(original);
    }
  }

  @Test
  void refusesADatabaseItDoesNotSupportAndAnUnreachableOne() {
    DataSource broken =
        (DataSource)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  throw new SQLException("down");
                });
    assertThatThrownBy(() -> JdbcStorage.of(broken))
        .isInstanceOf(IllegalStateException.class)
        .hasRootCauseMessage("down");
    assertThatThrownBy(() -> Dialect.ofProductName("MySQL"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MySQL");
  }

  private JdbcStorage widgets(Dialect dialect) {
    JdbcStorage storage = JdbcStorage.of(databases.create(dialect));
    storage.migrate("widgets", WIDGETS_COMMON, WIDGETS_VENDOR);
    return storage;
  }

  private static int count(JdbcStorage storage, String tenant) {
    return storage.inTransaction(
        h ->
            h.createQuery("select count(*) from widgets where tenant_id = :t")
                .bind("t", tenant)
                .mapTo(Integer.class)
                .one());
  }
}
