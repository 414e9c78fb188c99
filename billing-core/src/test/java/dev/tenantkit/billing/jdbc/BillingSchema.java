package dev.tenantkit.billing.jdbc;

import java.util.List;

/** The billing schema's tenant-scoped tables, for the H2 and PostgreSQL tests. */
final class BillingSchema {
  static final List<String> TENANT_TABLES =
      List.of(
          "tenantkit_billing_subscriptions",
          "tenantkit_billing_invoices",
          "tenantkit_billing_credit_notes",
          "tenantkit_billing_balances",
          "tenantkit_billing_ledger");

  private BillingSchema() {}
}
