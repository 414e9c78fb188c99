-- One quota decision in one call: the tenant setting (transaction-local) and the conditional update,
-- so an admitting decision is one statement and one round trip. SECURITY INVOKER (the default):
-- row-level security applies to the caller's role exactly as for the statements themselves.
-- Each returns the new value, or null when nothing changed (a rejection, an override that is not the
-- one expected, or a row not created yet); the caller then decides in a transaction.

create or replace function tenantkit_quota_try_add(
    p_tenant varchar, p_limit varchar, p_period bigint, p_amount bigint, p_room bigint,
    p_override bigint) returns bigint
    language plpgsql as $$
declare
    result bigint;
begin
    perform set_config('tenantkit.tenant_id', p_tenant, true);
    update tenantkit_quota_counters set used = used + p_amount
     where tenant_id = p_tenant and limit_name = p_limit and period_start_ms = p_period
       and used <= p_room
       and coalesce((select amount from tenantkit_quota_overrides
                      where tenant_id = p_tenant and limit_name = p_limit), -1) = p_override
    returning used into result;
    return result;
end $$;

create or replace function tenantkit_quota_try_take(
    p_tenant varchar, p_limit varchar, p_now bigint, p_cost bigint, p_max_base bigint,
    p_override bigint) returns bigint
    language plpgsql as $$
declare
    result bigint;
begin
    perform set_config('tenantkit.tenant_id', p_tenant, true);
    update tenantkit_quota_buckets set tat_ns = greatest(tat_ns, p_now) + p_cost
     where tenant_id = p_tenant and limit_name = p_limit and greatest(tat_ns, p_now) <= p_max_base
       and coalesce((select amount from tenantkit_quota_overrides
                      where tenant_id = p_tenant and limit_name = p_limit), -1) = p_override
    returning tat_ns into result;
    return result;
end $$;
