package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.testkit.BillingStoreContract;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.testkit.TenantKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcBillingStoreH2Test extends BillingStoreContract {
  private static HikariDataSource db;
  private static HikariDataSource second;
  private static JdbcBillingStore shared;

  @BeforeAll
  static void startDatabase() {
    db = EmbeddedDatabase.h2InMemory("billing-contract");
    second = EmbeddedDatabase.h2InMemory("billing-contract");
    shared = JdbcBillingStore.builder(db).build();
  }

  @AfterAll
  static void stopDatabase() {
    second.close();
    db.close();
  }

  @Override
  protected BillingStore newStore() {
    return shared;
  }

  @Test
  void tenantIdLeadsEveryKey() {
    TenantKeys.leadEveryKey(shared.storage().jdbi(), BillingSchema.TENANT_TABLES);
  }

  @Test
  void migratingAgainIsANoOpAndUsesItsOwnHistoryTable() {
    assertThat(
            shared
                .storage()
                .migrate(
                    JdbcBillingStore.MODULE,
                    JdbcBillingStore.COMMON_LOCATION,
                    JdbcBillingStore.VENDOR_LOCATION))
        .isZero();
    long applied =
        shared
            .storage()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "select count(*) from tenantkit_billing_schema_history where success")
                        .mapTo(Long.class)
                        .one());
    assertThat(applied).isPositive();
  }

  @Test
  void twoInstancesShareKeysAndNumbers() throws Exception {
    TwoInstances.check(
        shared, JdbcBillingStore.builder(second).migrate(false).build(), a, b, issuer);
  }
}
