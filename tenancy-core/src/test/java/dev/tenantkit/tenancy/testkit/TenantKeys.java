package dev.tenantkit.tenancy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The schema rule every module's tenant-scoped tables follow: {@code tenant_id} leads every key
 * (primary, unique and foreign), so each index serves one tenant's rows and a key can never match
 * across tenants. Read from {@code information_schema}, which H2 and PostgreSQL both have.
 */
public final class TenantKeys {
  private TenantKeys() {}

  /** Asserts that the first column of every key of each of {@code tables} is {@code tenant_id}. */
  public static void leadEveryKey(Jdbi jdbi, List<String> tables) {
    for (String table : tables) {
      List<String> leading =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "select k.column_name from information_schema.key_column_usage k"
                              + " join information_schema.table_constraints c"
                              + " on c.constraint_name = k.constraint_name"
                              + " and c.table_name = k.table_name"
                              + " where k.table_name = :t and k.ordinal_position = 1")
                      .bind("t", table)
                      .mapTo(String.class)
                      .list());
      assertThat(leading).as(table).isNotEmpty().containsOnly("tenant_id");
    }
  }
}
