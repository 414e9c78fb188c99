-- Billing runs' progress (BillingRunner): the operator's, not a tenant's, so no tenant_id and no
-- row-level security, like the plan versions. version drives the compare-and-set update; the run
-- of a period started last is found by (period, started_at).
create table tenantkit_billing_runs (
    id         varchar(64)              not null,
    period     varchar(16)              not null,
    status     varchar(16)              not null,
    started_at timestamp with time zone not null,
    document   text                     not null,
    version    bigint                   not null,
    constraint tenantkit_billing_runs_pkey primary key (id)
);
create index tenantkit_billing_runs_by_period on tenantkit_billing_runs (period, started_at, id);
