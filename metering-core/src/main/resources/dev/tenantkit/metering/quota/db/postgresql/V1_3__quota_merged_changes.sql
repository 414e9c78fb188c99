-- Merged changes applied exactly once. RowCombiner sums concurrent changes of one row into one call;
-- when the answer to that call is lost (the connection drops after the server committed), the call
-- is sent again under the same operation id. The first call recorded the id and the row's new value
-- in its own transaction, so the second finds it and answers the same value without changing the
-- row again. The next merged change of the row deletes the record (p_forget), so at most one per
-- row outlives its answer. What a process leaves behind (its last record of each row, a merged
-- change that failed twice) is swept by the first merged change of the tenant's rows in the next
-- process (p_forget is null then): a retry comes within seconds, so a record older than an hour
-- is never asked for again. A purge removes the rest.
create table tenantkit_quota_merged_changes (
    tenant_id  varchar(64) not null,
    op_id      uuid        not null,
    result     bigint      not null,
    created_at timestamp with time zone not null default now(),
    constraint tenantkit_quota_merged_changes_pkey primary key (tenant_id, op_id)
);

create index tenantkit_quota_merged_changes_age
    on tenantkit_quota_merged_changes (tenant_id, created_at);

select tenantkit_enable_rls('tenantkit_quota_merged_changes');

-- tenantkit_quota_try_add with an operation id: the change once, whatever the number of calls.
-- A second call while the first is still running waits on the row, applies the change and then
-- fails on the primary key, which rolls it back; the caller calls again and finds the record.
create or replace function tenantkit_quota_try_add_once(
    p_tenant varchar, p_limit varchar, p_period bigint, p_amount bigint, p_room bigint,
    p_override bigint, p_op uuid, p_forget uuid) returns bigint
    language plpgsql as $$
declare
    result bigint;
begin
    perform set_config('tenantkit.tenant_id', p_tenant, true);
    if p_forget is not null then
        delete from tenantkit_quota_merged_changes where tenant_id = p_tenant and op_id = p_forget;
    else
        delete from tenantkit_quota_merged_changes
         where tenant_id = p_tenant and created_at < now() - interval '1 hour';
    end if;
    select m.result into result from tenantkit_quota_merged_changes m
     where m.tenant_id = p_tenant and m.op_id = p_op;
    if found then
        return result;
    end if;
    update tenantkit_quota_counters set used = used + p_amount
     where tenant_id = p_tenant and limit_name = p_limit and period_start_ms = p_period
       and used <= p_room
       and coalesce((select amount from tenantkit_quota_overrides
                      where tenant_id = p_tenant and limit_name = p_limit), -1) = p_override
    returning used into result;
    if result is not null then
        insert into tenantkit_quota_merged_changes (tenant_id, op_id, result)
        values (p_tenant, p_op, result);
    end if;
    return result;
end $$;

-- tenantkit_quota_try_take with an operation id; see tenantkit_quota_try_add_once.
create or replace function tenantkit_quota_try_take_once(
    p_tenant varchar, p_limit varchar, p_now bigint, p_cost bigint, p_max_base bigint,
    p_override bigint, p_op uuid, p_forget uuid) returns bigint
    language plpgsql as $$
declare
    result bigint;
begin
    perform set_config('tenantkit.tenant_id', p_tenant, true);
    if p_forget is not null then
        delete from tenantkit_quota_merged_changes where tenant_id = p_tenant and op_id = p_forget;
    else
        delete from tenantkit_quota_merged_changes
         where tenant_id = p_tenant and created_at < now() - interval '1 hour';
    end if;
    select m.result into result from tenantkit_quota_merged_changes m
     where m.tenant_id = p_tenant and m.op_id = p_op;
    if found then
        return result;
    end if;
    update tenantkit_quota_buckets set tat_ns = greatest(tat_ns, p_now) + p_cost
     where tenant_id = p_tenant and limit_name = p_limit and greatest(tat_ns, p_now) <= p_max_base
       and coalesce((select amount from tenantkit_quota_overrides
                      where tenant_id = p_tenant and limit_name = p_limit), -1) = p_override
    returning tat_ns into result;
    if result is not null then
        insert into tenantkit_quota_merged_changes (tenant_id, op_id, result)
        values (p_tenant, p_op, result);
    end if;
    return result;
end $$;
