package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Checks of the billing schema shared by the H2 and PostgreSQL tests. */
final class BillingSchema {
  static final List<String> TENANT_TABLES =
      List.of(
          "tenantkit_billing_subscriptions",
          "tenantkit_billing_invoices",
          "tenantkit_billing_credit_notes",
          "tenantkit_billing_balances",
          "tenantkit_billing_ledger");

  private BillingSchema() {}

  /** Every key (primary, unique, foreign) of every tenant-scoped table starts with tenant_id. */
  static void tenantIdLeadsEveryKey(Jdbi jdbi) {
    for (String table : TENANT_TABLES) {
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
