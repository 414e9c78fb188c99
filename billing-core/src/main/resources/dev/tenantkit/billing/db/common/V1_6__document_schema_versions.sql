-- The format of the stored plan versions' and invoices' documents, read before the document is
-- parsed: 1 is the form documented in docs/billing.md ("Storage"), owned by the code (a plan
-- version's prices in the catalog's own JSON form; an invoice in its explicit stored form), not
-- derived from Java class or record component names. Rows stored before this migration were the
-- values' Jackson mapping; they get 0, which no build reads (billing was not released, so they
-- are declared unsupported rather than converted). Writers always set the column: the default
-- only tags the existing rows and is dropped.
alter table tenantkit_billing_plan_versions add column schema_version integer default 0 not null;
alter table tenantkit_billing_plan_versions alter column schema_version drop default;
alter table tenantkit_billing_invoices add column schema_version integer default 0 not null;
alter table tenantkit_billing_invoices alter column schema_version drop default;
