-- Quota state (metering-core, package dev.tenantkit.metering.quota). Every table is tenant-scoped:
-- tenant_id leads its primary key, the distribution column if the schema is distributed with Citus.
-- Limit names are [a-z][a-z0-9_.]{0,63}.

-- Allowance and gauge counters. An allowance has one row per period, keyed by the period's start in
-- epoch milliseconds (midnight or the first of the month in the catalog's zone); a gauge has one row
-- with period_start_ms = 0. Rows of past periods are history and may be deleted.
create table tenantkit_quota_counters (
    tenant_id       varchar(64) not null,
    limit_name      varchar(64) not null,
    period_start_ms bigint      not null,
    used            bigint      not null,
    constraint tenantkit_quota_counters_pkey primary key (tenant_id, limit_name, period_start_ms),
    constraint tenantkit_quota_counters_used_check check (used >= 0)
);

-- Rate-limit token buckets in GCRA form: tat_ns is the "theoretical arrival time" in epoch
-- nanoseconds; the bucket is full when tat_ns <= now, and holds (now + burst - tat_ns) worth of
-- tokens otherwise.
create table tenantkit_quota_buckets (
    tenant_id  varchar(64) not null,
    limit_name varchar(64) not null,
    tat_ns     bigint      not null,
    constraint tenantkit_quota_buckets_pkey primary key (tenant_id, limit_name)
);

-- Threshold markers: the primary key makes each (tenant, limit, period, threshold) event happen once
-- across all application instances. Gauges use the start of the calendar month as their period.
create table tenantkit_quota_thresholds (
    tenant_id       varchar(64)              not null,
    limit_name      varchar(64)              not null,
    period_start_ms bigint                   not null,
    threshold_pct   integer                  not null,
    crossed_at      timestamp with time zone not null,
    constraint tenantkit_quota_thresholds_pkey
        primary key (tenant_id, limit_name, period_start_ms, threshold_pct)
);

-- Per-tenant overrides of a plan's limit; amount 9223372036854775807 (Long.MAX_VALUE) is unlimited.
create table tenantkit_quota_overrides (
    tenant_id  varchar(64)              not null,
    limit_name varchar(64)              not null,
    amount     bigint                   not null,
    updated_at timestamp with time zone not null,
    constraint tenantkit_quota_overrides_pkey primary key (tenant_id, limit_name),
    constraint tenantkit_quota_overrides_amount_check check (amount >= 0)
);
