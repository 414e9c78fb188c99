-- Row-level security for tenant-scoped tables (PostgreSQL only).
--
-- tenantkit_enable_rls(tbl, col) enables and forces row-level security on a table and (re)creates the
-- policy tenantkit_tenant_isolation, which shows and accepts only rows whose tenant column equals the
-- setting tenantkit.tenant_id. Tenantkit sets it per transaction (set_config(..., true)); when nothing
-- is set, current_setting(..., true) is NULL or '' and no row matches. FORCE makes the policy apply to
-- the table's owner too; superusers and roles with BYPASSRLS still bypass it, so the application's
-- role must have neither. Host apps call this function from their own migrations.
create or replace function tenantkit_enable_rls(tbl regclass, col text default 'tenant_id')
    returns void
    language plpgsql
as $$
declare
    col_type text;
begin
    select format_type(a.atttypid, null)
      into col_type
      from pg_attribute a
     where a.attrelid = tbl
       and a.attname = col
       and a.attnum > 0
       and not a.attisdropped;
    if col_type is null then
        raise exception 'table % has no column %', tbl, col;
    end if;
    execute format('alter table %s enable row level security', tbl);
    execute format('alter table %s force row level security', tbl);
    execute format('drop policy if exists tenantkit_tenant_isolation on %s', tbl);
    -- The setting is cast to the column's type (not the column to text) so an index on the column
    -- still serves the policy's predicate; nullif turns the unset value '' into NULL, which matches no row.
    execute format(
        'create policy tenantkit_tenant_isolation on %s'
        || ' using (%I = nullif(current_setting(%L, true), %L)::%s)'
        || ' with check (%I = nullif(current_setting(%L, true), %L)::%s)',
        tbl,
        col, 'tenantkit.tenant_id', '', col_type,
        col, 'tenantkit.tenant_id', '', col_type);
end;
$$;

select tenantkit_enable_rls('tenantkit_api_keys');
