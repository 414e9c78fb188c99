-- Billing (billing-core, packages dev.tenantkit.billing.*). Every tenant-scoped table has tenant_id
-- leading its primary key and every index, the distribution column if the schema is distributed
-- with Citus. Documents are the values' JSON ({"v": 1, ...}); the other columns are what queries
-- need. Amounts are numeric(27, 12): Money's 15 integer digits and 12 precise decimals.

-- A tenant's current subscription. version drives the compare-and-set update.
create table tenantkit_billing_subscriptions (
    tenant_id    varchar(64)              not null,
    plan_id      varchar(64)              not null,
    plan_version integer                  not null,
    ends_at      timestamp with time zone,
    document     text                     not null,
    version      bigint                   not null,
    constraint tenantkit_billing_subscriptions_pkey primary key (tenant_id)
);

-- Invoices. idempotency_key is unique per tenant: a billing run that runs twice, or on two
-- instances at once, stores one invoice per key (sub:<subscription>:<period start>:<kind>). number
-- is null while a draft; issue_date is the day it was finalized.
create table tenantkit_billing_invoices (
    tenant_id       varchar(64)              not null,
    id              varchar(64)              not null,
    idempotency_key varchar(200)             not null,
    period_start    date                     not null,
    period_end      date                     not null,
    status          varchar(16)              not null,
    invoice_number  varchar(40),
    currency        char(3)                  not null,
    total           numeric(27, 12)          not null,
    amount_due      numeric(27, 12)          not null,
    issue_date      date                     not null,
    due_date        date                     not null,
    document        text                     not null,
    version         bigint                   not null,
    constraint tenantkit_billing_invoices_pkey primary key (tenant_id, id),
    constraint tenantkit_billing_invoices_key unique (tenant_id, idempotency_key)
);
create index tenantkit_billing_invoices_newest on tenantkit_billing_invoices (tenant_id, period_start, id);
create index tenantkit_billing_invoices_status on tenantkit_billing_invoices (tenant_id, status);

-- Each issuer's number sequence per year: the last number used. Not tenant data (an issuer numbers
-- every tenant's invoices), so no row-level security. Finalizing an invoice takes the row's lock,
-- increments it and stores the invoice in one transaction: a number is used exactly when an invoice
-- holds it.
create table tenantkit_billing_invoice_sequences (
    issuer_prefix varchar(16) not null,
    number_year   integer     not null,
    last_number   integer     not null,
    constraint tenantkit_billing_invoice_sequences_pkey primary key (issuer_prefix, number_year)
);

-- Credit notes against a tenant's invoices.
create table tenantkit_billing_credit_notes (
    tenant_id  varchar(64)              not null,
    id         varchar(64)              not null,
    invoice_id varchar(64)              not null,
    seq        bigint                   not null,
    document   text                     not null,
    constraint tenantkit_billing_credit_notes_pkey primary key (tenant_id, id),
    constraint tenantkit_billing_credit_notes_invoice foreign key (tenant_id, invoice_id)
        references tenantkit_billing_invoices (tenant_id, id) on delete cascade
);
create index tenantkit_billing_credit_notes_by_invoice
    on tenantkit_billing_credit_notes (tenant_id, invoice_id, seq);

-- Balances per tenant, account ('credit_notes', 'wallet') and currency. A conditional update
-- (amount >= taken) takes from them, so two invoices never spend the same credit.
create table tenantkit_billing_balances (
    tenant_id varchar(64)     not null,
    account   varchar(16)     not null,
    currency  char(3)         not null,
    amount    numeric(27, 12) not null,
    constraint tenantkit_billing_balances_pkey primary key (tenant_id, account, currency),
    constraint tenantkit_billing_balances_amount_check check (amount >= 0)
);

-- The entries that changed a balance: '+<key>' for a credit (a grant, a purchase, 'note:<id>'),
-- '-<invoice id>' for an invoice's use. The primary key makes each happen once.
create table tenantkit_billing_ledger (
    tenant_id  varchar(64)              not null,
    account    varchar(16)              not null,
    entry_key  varchar(202)             not null,
    currency   char(3)                  not null,
    amount     numeric(27, 12)          not null,
    created_at timestamp with time zone not null,
    constraint tenantkit_billing_ledger_pkey primary key (tenant_id, account, entry_key)
);

-- Published plan versions (JdbcPlanVersionStore). Platform data shared by every tenant: no
-- tenant_id, no row-level security. The primary key makes each version number exist once, so two
-- instances publishing at once get gap-free versions; fingerprint is PlanPrices.fingerprint().
create table tenantkit_billing_plan_versions (
    plan_id      varchar(64)              not null,
    version      integer                  not null,
    fingerprint  varchar(80)              not null,
    document     text                     not null,
    published_at timestamp with time zone not null,
    constraint tenantkit_billing_plan_versions_pkey primary key (plan_id, version)
);
