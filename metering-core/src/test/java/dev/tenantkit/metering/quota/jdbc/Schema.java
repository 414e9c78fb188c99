package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Checks of the quota schema shared by the H2 and PostgreSQL tests. */
final class Schema {
  static final List<String> TABLES =
      List.of(
          "tenantkit_quota_counters",
          "tenantkit_quota_buckets",
          "tenantkit_quota_thresholds",
          "tenantkit_quota_overrides");

  private Schema() {}

  /** Every quota table's primary key starts with tenant_id. */
  static void tenantIdLeadsEveryKey(Jdbi jdbi) {
    for (String table : TABLES) {
      List<String> leading =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "select k.column_name from information_schema.key_column_usage k"
                              + " join information_schema.table_constraints c"
                              + " on c.constraint_name = k.constraint_name"
                              + " and c.table_name = k.table_name"
                              + " where k.table_name = :t and k.ordinal_position = 1"
                              + " and c.constraint_type = 'PRIMARY KEY'")
                      .bind("t", table)
                      .mapTo(String.class)
                      .list());
      assertThat(leading).as(table).containsExactly("tenant_id");
    }
  }
}
