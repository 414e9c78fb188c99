-- Row-level security: every statement sees and writes only the rows of the tenant bound by
-- TenantAwareDataSource, even one that forgot its tenant_id filter.
select tenantkit_enable_rls('sample_files');
