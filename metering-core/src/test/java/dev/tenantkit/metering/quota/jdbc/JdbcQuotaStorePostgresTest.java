package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.QuotaStoreContract;
import dev.tenantkit.tenancy.jdbc.JdbcStorage;
import dev.tenantkit.tenancy.testkit.TenantKeys;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcQuotaStorePostgresTest extends QuotaStoreContract {
  private static HikariDataSource db;
  private static JdbcQuotaStore shared;

  @BeforeAll
  static void startDatabase() {
    db = PgDatabases.newPool();
    shared = JdbcQuotaStore.builder(db).build();
  }

  @AfterAll
  static void stopDatabase() {
    db.close();
  }

  @Override
  protected QuotaStore newStore() {
    return shared;
  }

  @Test
  void withoutTheDecisionFunctionsDecisionsStillHoldTheCeiling() {
    try (HikariDataSource other = PgDatabases.newPool()) {
      JdbcQuotaStore store = JdbcQuotaStore.builder(other).build();
      store
          .storage()
          .useTransaction(
              h -> {
                h.execute("drop function tenantkit_quota_try_add");
                h.execute("drop function tenantkit_quota_try_take");
              });
      var calls = store.cell(a, "api_calls");
      assertThat(calls.tryAdd(0, 3, 4, QuotaStore.NO_OVERRIDE)).isEqualTo(3);
      assertThat(calls.tryAdd(0, 1, 4, QuotaStore.NO_OVERRIDE)).isEqualTo(4);
      assertThat(calls.tryAdd(0, 1, 4, QuotaStore.NO_OVERRIDE)).isEqualTo(CellResult.rejected(4));
      var rpm = store.cell(a, "rpm");
      assertThat(rpm.tryTake(1_000, 5, 10, QuotaStore.NO_OVERRIDE)).isEqualTo(1_005);
      assertThat(rpm.tryTake(1_000, 5, 10, QuotaStore.NO_OVERRIDE)).isEqualTo(1_010);
      assertThat(rpm.tryTake(1_000, 5, 10, QuotaStore.NO_OVERRIDE))
          .isEqualTo(CellResult.rejected(1_010));
    }
  }

  @Test
  void tenantIdLeadsEveryPrimaryKey() {
    TenantKeys.leadEveryKey(shared.storage().jdbi(), Schema.TABLES);
  }

  @Test
  void rowLevelSecurityConfinesEveryQuotaTableToTheBoundTenant() {
    shared.cell(a, "api_calls").tryAdd(0, 1, 10, QuotaStore.NO_OVERRIDE);
    shared.cell(a, "rpm").tryTake(1_000_000_000L, 1, 10, QuotaStore.NO_OVERRIDE);
    shared.markThreshold(a, "api_calls", 0, 80);
    shared.putOverride(a, "api_calls", 5);
    shared.cell(b, "api_calls").tryAdd(0, 1, 10, QuotaStore.NO_OVERRIDE);
    shared.cell(b, "rpm").tryTake(1_000_000_000L, 1, 10, QuotaStore.NO_OVERRIDE);
    shared.markThreshold(b, "api_calls", 0, 80);
    shared.putOverride(b, "api_calls", 5);
    JdbcStorage storage = shared.storage();
    for (String table : Schema.TABLES) {
      // No tenant bound: no rows at all, even though both tenants have one.
      long unbound = storage.inTransaction(h -> count(h, table));
      assertThat(unbound).as(table).isZero();
      // A bound, and a query that forgets the tenant filter: A's row only.
      List<String> seen =
          storage.inTenantTransaction(
              a, h -> h.createQuery("select tenant_id from " + table).mapTo(String.class).list());
      assertThat(seen).as(table).containsExactly(a.value());
    }
    // Writing B's row while bound to A is refused by the policy's WITH CHECK.
    assertThatThrownBy(
            () ->
                storage.useTenantTransaction(
                    a,
                    h ->
                        h.execute(
                            "insert into tenantkit_quota_overrides"
                                + " (tenant_id, limit_name, amount, updated_at)"
                                + " values (?, 'files', 1, current_timestamp)",
                            b.value())))
        .hasMessageContaining("row-level security");
    int updated =
        storage.inTenantTransaction(
            a, h -> h.execute("update tenantkit_quota_counters set used = 0"));
    assertThat(updated).as("an unfiltered update reaches A's rows only").isEqualTo(1);
    assertThat(shared.cell(b, "api_calls").counter(0)).isEqualTo(1);
  }

  private static long count(Handle h, String table) {
    return h.createQuery("select count(*) from " + table).mapTo(Long.class).one();
  }
}
