package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.InstantSource;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JdbcStoreBuilderTest {
  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  /** A module's store as a new module would write it: its builder extends the base. */
  record WidgetStore(JdbcStorage storage, InstantSource clock) {
    static Builder builder(DataSource dataSource) {
      return new Builder(dataSource);
    }

    static final class Builder extends JdbcStoreBuilder<Builder> {
      Builder(DataSource dataSource) {
        super(
            dataSource,
            "widgets",
            "classpath:dev/tenantkit/tenancy/jdbc/testdb/common",
            "classpath:dev/tenantkit/tenancy/jdbc/testdb/{vendor}");
      }

      Builder clock(InstantSource clock) {
        return useClock(clock);
      }

      WidgetStore build() {
        return new WidgetStore(storage(), clock());
      }
    }
  }

  private static List<String> histories(JdbcStorage storage) {
    return storage.inTransaction(
        h ->
            h.createQuery(
                    "select lower(table_name) from information_schema.tables"
                        + " where lower(table_name) like 'tenantkit_%_schema_history'"
                        + " order by 1")
                .mapTo(String.class)
                .list());
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void buildAppliesTenancysMigrationsThenTheModulesUnderItsOwnHistory(Dialect dialect) {
    WidgetStore store = WidgetStore.builder(databases.create(dialect)).build();
    assertThat(store.storage().dialect()).isEqualTo(dialect);
    assertThat(histories(store.storage()))
        .containsExactly("tenantkit_tenancy_schema_history", "tenantkit_widgets_schema_history");
    String note =
        store
            .storage()
            .inTransaction(
                h -> h.createQuery("select note from widgets").mapTo(String.class).one());
    assertThat(note).isEqualTo(dialect.vendor());
    assertThat(JdbcJobLeases.of(store.storage()).lastRun("job")).isEmpty();
    assertThat(store.clock()).isEqualTo(InstantSource.system());
  }

  @Test
  void withoutMigrationNothingIsCreated() {
    WidgetStore store = WidgetStore.builder(databases.create(Dialect.H2)).migrate(false).build();
    assertThat(histories(store.storage())).isEmpty();
  }

  @Test
  void theClockIsTheOneGiven() {
    FakeClock clock = FakeClock.create();
    assertThat(WidgetStore.builder(databases.create(Dialect.H2)).clock(clock).build().clock())
        .isSameAs(clock);
  }

  @Test
  void theTenancyStoreBuilderMigratesTenancyOnce() {
    JdbcTenancyStore store = JdbcTenancyStore.builder(databases.create(Dialect.H2)).build();
    assertThat(histories(store.storage())).containsExactly("tenantkit_tenancy_schema_history");
  }

  @Test
  void theModuleAndItsLocationsAreValidated() {
    DataSource db = databases.create(Dialect.H2);
    assertThatThrownBy(() -> new Bare(db, "Bad-Name", "classpath:x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bare(db, "widgets")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Bare(null, "widgets", "classpath:x"))
        .isInstanceOf(NullPointerException.class);
  }

  private static final class Bare extends JdbcStoreBuilder<Bare> {
    Bare(DataSource dataSource, String module, String... locations) {
      super(dataSource, module, locations);
    }
  }
}
