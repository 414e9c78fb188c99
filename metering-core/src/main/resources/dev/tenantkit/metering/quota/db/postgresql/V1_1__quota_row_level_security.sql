-- Row-level security on every quota table. tenantkit_enable_rls comes from tenancy-core's migrations,
-- which JdbcQuotaStore applies first.
select tenantkit_enable_rls('tenantkit_quota_counters');
select tenantkit_enable_rls('tenantkit_quota_buckets');
select tenantkit_enable_rls('tenantkit_quota_thresholds');
select tenantkit_enable_rls('tenantkit_quota_overrides');
