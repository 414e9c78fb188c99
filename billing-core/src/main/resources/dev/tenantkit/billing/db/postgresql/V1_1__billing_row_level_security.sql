-- Row-level security on every tenant-scoped billing table. tenantkit_enable_rls and
-- tenantkit_enable_operator_read come from tenancy-core's migrations, which the billing store
-- applies first. The operator's billing run lists subscriptions and invoices across tenants.
select tenantkit_enable_rls('tenantkit_billing_subscriptions');
select tenantkit_enable_rls('tenantkit_billing_invoices');
select tenantkit_enable_rls('tenantkit_billing_credit_notes');
select tenantkit_enable_rls('tenantkit_billing_balances');
select tenantkit_enable_rls('tenantkit_billing_ledger');
select tenantkit_enable_operator_read('tenantkit_billing_subscriptions');
select tenantkit_enable_operator_read('tenantkit_billing_invoices');
