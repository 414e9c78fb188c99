-- Row-level security on the tenant-scoped metering tables, with tenancy's tenantkit_enable_rls (the
-- tenancy migrations run first; JdbcUsageStore makes sure of it).
select tenantkit_enable_rls('tenantkit_metering_tenants');
select tenantkit_enable_rls('tenantkit_metering_events');
select tenantkit_enable_rls('tenantkit_metering_keys');
select tenantkit_enable_rls('tenantkit_metering_rollups');

-- The one cross-tenant read: the list of tenants with usage, for the rollup job and operator
-- queries such as topConsumers. A second, permissive policy for SELECT only admits every row when
-- the transaction set tenantkit.all_tenants to 'on', which the library does only inside its own
-- operator transactions (set_config(..., true), so it ends with the transaction). Writes stay
-- limited to the bound tenant by tenantkit_tenant_isolation.
create policy tenantkit_operator_read on tenantkit_metering_tenants
    for select
    using (current_setting('tenantkit.all_tenants', true) = 'on');
