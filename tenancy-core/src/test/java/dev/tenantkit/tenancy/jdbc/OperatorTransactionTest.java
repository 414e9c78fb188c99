package dev.tenantkit.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three kinds of transaction of {@link JdbcStorage} on a table protected like a module's: a
 * tenant transaction sees its tenant's rows, an operator transaction reads every tenant's and
 * writes none, and a batch switches tenants with {@link JdbcStorage#bindTenant}. On PostgreSQL as
 * the ordinary application role; {@code OperatorTransactionPgBouncerTest} runs them through a
 * transaction-mode PgBouncer.
 */
class OperatorTransactionTest {
  private static final TenantId A = TenantId.of("a");
  private static final TenantId B = TenantId.of("b");

  private final TestDatabases databases = new TestDatabases();

  @AfterEach
  void close() {
    databases.close();
  }

  /** Tenancy's migrations, a ledger table as a module would protect it, and rows of a and b. */
  static JdbcStorage ledger(JdbcStorage storage) {
    JdbcTenancyStore.migrate(storage);
    storage.useTransaction(
        h -> {
          h.execute(
              "create table ledger (tenant_id varchar(64) not null, id integer not null,"
                  + " amount integer not null, primary key (tenant_id, id))");
          if (storage.dialect() == Dialect.POSTGRESQL) {
            h.execute("select tenantkit_enable_rls('ledger')");
            h.execute("select tenantkit_enable_operator_read('ledger')");
          }
        });
    insert(storage, A, 1, 10);
    insert(storage, A, 2, 20);
    insert(storage, B, 1, 30);
    return storage;
  }

  private static void insert(JdbcStorage storage, TenantId tenant, int id, int amount) {
    storage.useTenantTransaction(tenant, h -> insert(h, tenant, id, amount));
  }

  private static int insert(Handle h, TenantId tenant, int id, int amount) {
    return h.createUpdate("insert into ledger (tenant_id, id, amount) values (?, ?, ?)")
        .bind(0, tenant.value())
        .bind(1, id)
        .bind(2, amount)
        .execute();
  }

  static List<String> rows(Handle h) {
    return h.createQuery("select tenant_id || ':' || id from ledger order by tenant_id, id")
        .mapTo(String.class)
        .list();
  }

  @ParameterizedTest
  @EnumSource(Dialect.class)
  void aTenantTransactionSeesItsRowsAndAnOperatorTransactionSeesAll(Dialect dialect) {
    JdbcStorage storage = ledger(JdbcStorage.of(databases.create(dialect)));
    if (dialect == Dialect.POSTGRESQL) {
      // Row-level security, not the statement, confines a tenant transaction.
      assertThat(storage.inTenantTransaction(A, OperatorTransactionTest::rows))
          .containsExactly("a:1", "a:2");
      assertThat(storage.inTenantTransaction(B, OperatorTransactionTest::rows))
          .containsExactly("b:1");
    }
    assertThat(storage.inAllTenantsTransaction(OperatorTransactionTest::rows))
        .containsExactly("a:1", "a:2", "b:1");
  }

  @Test
  void theOperatorSettingEndsWithItsTransaction() {
    DataSource db = databases.create(Dialect.POSTGRESQL);
    // Migrated first on its own: Flyway needs two connections at once.
    ledger(JdbcStorage.of(db));
    JdbcStorage storage = JdbcStorage.of(databases.pool(db, 1));
    assertThat(storage.inAllTenantsTransaction(OperatorTransactionTest::rows)).hasSize(3);
    // The pool has one connection: the next transaction runs on the same session.
    assertThat(storage.inTransaction(OperatorTransactionTest::rows)).isEmpty();
    assertThat(storage.inTenantTransaction(A, OperatorTransactionTest::rows)).hasSize(2);
  }

  @Test
  void anOperatorTransactionCannotWriteAnyTenantsRows() {
    JdbcStorage storage = ledger(JdbcStorage.of(databases.create(Dialect.POSTGRESQL)));
    Throwable refused =
        catchThrowable(() -> storage.inAllTenantsTransaction(h -> insert(h, B, 2, 40)));
    assertThat(refused)
        .isInstanceOf(JdbiException.class)
        .hasMessageContaining("row-level security");
    int updated =
        storage.inAllTenantsTransaction(
            h -> h.createUpdate("update ledger set amount = 0").execute());
    int deleted =
        storage.inAllTenantsTransaction(h -> h.createUpdate("delete from ledger").execute());
    assertThat(updated).isZero();
    assertThat(deleted).isZero();
    Integer sum =
        storage.inAllTenantsTransaction(
            h -> h.createQuery("select sum(amount) from ledger").mapTo(Integer.class).one());
    assertThat(sum).isEqualTo(60);
  }

  @Test
  void aBatchSwitchesTenantsInsideOneTransaction() {
    JdbcStorage storage = ledger(JdbcStorage.of(databases.create(Dialect.POSTGRESQL)));
    storage.useTransaction(
        h -> {
          storage.bindTenant(h, A);
          insert(h, A, 3, 1);
          storage.bindTenant(h, B);
          insert(h, B, 3, 1);
          assertThat(rows(h)).containsExactly("b:1", "b:3");
        });
    Throwable refused =
        catchThrowable(
            () ->
                storage.useTransaction(
                    h -> {
                      storage.bindTenant(h, B);
                      insert(h, A, 4, 1);
                    }));
    assertThat(refused)
        .isInstanceOf(JdbiException.class)
        .hasMessageContaining("row-level security");
    assertThat(storage.inAllTenantsTransaction(OperatorTransactionTest::rows))
        .containsExactly("a:1", "a:2", "a:3", "b:1", "b:3");
  }

  @Test
  void aTenantSwitchCanCarryOneMoreLocalSettingInTheSameStatement() {
    JdbcStorage storage = ledger(JdbcStorage.of(databases.create(Dialect.POSTGRESQL)));
    JdbcStorage.LocalSetting customPlans =
        new JdbcStorage.LocalSetting("plan_cache_mode", "force_custom_plan");
    String before = storage.inTransaction(OperatorTransactionTest::planCacheMode);
    storage.useTransaction(
        h -> {
          storage.bindTenant(h, B, customPlans);
          assertThat(rows(h)).containsExactly("b:1");
          assertThat(planCacheMode(h)).isEqualTo("force_custom_plan");
          storage.bindTenant(h, A, customPlans);
          assertThat(rows(h)).containsExactly("a:1", "a:2");
        });
    String after = storage.inTransaction(OperatorTransactionTest::planCacheMode);
    assertThat(after).as("transaction-local").isEqualTo(before);
  }

  private static String planCacheMode(Handle h) {
    return h.createQuery("select current_setting('plan_cache_mode')").mapTo(String.class).one();
  }

  @Test
  void aLocalSettingIsNeverATenantSettingNorSqlText() {
    for (String name :
        List.of(JdbcStorage.TENANT_SETTING, JdbcStorage.ALL_TENANTS_SETTING, "a'; drop", "")) {
      assertThat(catchThrowable(() -> new JdbcStorage.LocalSetting(name, "on")))
          .as(name)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new JdbcStorage.LocalSetting("work_mem", "64MB").name()).isEqualTo("work_mem");
  }

  /**
   * Metering's V1_1 migration wrote the operator policy by hand before the helper existed: the
   * helper must make the very same policy, and replace the hand-written one without complaint.
   */
  @Test
  void theHelperMakesTheSamePolicyAsTheOneWrittenByHand() {
    JdbcStorage storage = JdbcStorage.of(databases.create(Dialect.POSTGRESQL));
    JdbcTenancyStore.migrate(storage);
    String policy =
        "select polname, polcmd, polpermissive, pg_get_expr(polqual, polrelid),"
            + " pg_get_expr(polwithcheck, polrelid) from pg_policy where polrelid = ?::regclass"
            + " and polname = 'tenantkit_operator_read'";
    List<List<String>> policies =
        storage.inTransaction(
            h -> {
              for (String t : List.of("by_hand", "by_helper")) {
                h.execute("create table " + t + " (tenant_id varchar(64) primary key)");
                h.execute("select tenantkit_enable_rls('" + t + "')");
              }
              h.execute(
                  "create policy tenantkit_operator_read on by_hand for select"
                      + " using (current_setting('tenantkit.all_tenants', true) = 'on')");
              h.execute("select tenantkit_enable_operator_read('by_helper')");
              List<String> byHand = policyOf(h, policy, "by_hand");
              h.execute("select tenantkit_enable_operator_read('by_hand')");
              return List.of(
                  byHand, policyOf(h, policy, "by_helper"), policyOf(h, policy, "by_hand"));
            });
    assertThat(policies.get(0)).isNotEmpty();
    assertThat(policies.get(1)).isEqualTo(policies.get(0));
    assertThat(policies.get(2)).isEqualTo(policies.get(0));
  }

  private static List<String> policyOf(Handle h, String sql, String table) {
    return h.createQuery(sql)
        .bind(0, table)
        .map(
            (rs, ctx) ->
                List.of(
                    rs.getString(1),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    String.valueOf(rs.getString(5))))
        .one();
  }
}
