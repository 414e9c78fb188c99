package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.quota.testkit.QuotaStoreContract;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.testkit.TenantKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JdbcQuotaStoreH2Test extends QuotaStoreContract {
  private static HikariDataSource db;
  private static JdbcQuotaStore shared;

  @BeforeAll
  static void startDatabase() {
    db = EmbeddedDatabase.h2InMemory("quota-contract");
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
  void tenantIdLeadsEveryPrimaryKey() {
    TenantKeys.leadEveryKey(shared.storage().jdbi(), Schema.TABLES);
  }

  @Test
  void migratingAgainIsANoOpAndUsesItsOwnHistoryTable() {
    assertThat(
            shared
                .storage()
                .migrate(
                    JdbcQuotaStore.MODULE,
                    JdbcQuotaStore.COMMON_LOCATION,
                    JdbcQuotaStore.VENDOR_LOCATION))
        .isZero();
    long applied =
        shared
            .storage()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "select count(*) from tenantkit_quota_schema_history where success")
                        .mapTo(Long.class)
                        .one());
    assertThat(applied).isPositive();
    JdbcQuotaStore again = JdbcQuotaStore.builder(db).migrate(false).build();
    assertThat(again.cell(a, "files").tryAdd(0, 1, 1, QuotaStore.NO_OVERRIDE)).isEqualTo(1);
  }
}
