-- The operator read across tenants (PostgreSQL only), the sibling of tenantkit_enable_rls.
--
-- tenantkit_enable_operator_read(tbl) (re)creates the policy tenantkit_operator_read on a table that
-- tenantkit_enable_rls protects: a second, permissive policy for SELECT only, which admits every row
-- when the transaction set tenantkit.all_tenants to 'on'. JdbcStorage.inAllTenantsTransaction sets it
-- transaction-locally (set_config(..., true)), so it ends with the transaction and never leaks through
-- a pooler. Writes are not admitted by it: INSERT, UPDATE and DELETE still pass through
-- tenantkit_tenant_isolation alone, so an operator transaction cannot change another tenant's rows.
--
-- Metering's V1_1 migration created this policy by hand on tenantkit_metering_tenants before the
-- helper existed; the helper creates the same policy under the same name with the same expression, so
-- databases migrated before it are unchanged. New modules call the helper from their own migrations.
create or replace function tenantkit_enable_operator_read(tbl regclass)
    returns void
    language plpgsql
as $$
begin
    execute format('drop policy if exists tenantkit_operator_read on %s', tbl);
    execute format(
        'create policy tenantkit_operator_read on %s for select using (current_setting(%L, true) = %L)',
        tbl, 'tenantkit.all_tenants', 'on');
end;
$$;
