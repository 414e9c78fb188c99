-- The tenant directory. Read by the operator across tenants, so it is not under row-level security.
create table tenantkit_tenants (
    tenant_id   varchar(64)              not null,
    name        varchar(200)             not null,
    -- lower-cased name (Locale.ROOT), so names are unique ignoring case on H2 and PostgreSQL alike
    name_key    varchar(400)             not null,
    plan_id     varchar(64)              not null,
    status      varchar(16)              not null,
    -- TenantSettings as a JSON object with a format version "v"
    settings    text                     not null,
    created_at  timestamp with time zone not null,
    updated_at  timestamp with time zone not null,
    deleted_at  timestamp with time zone,
    version     bigint                   not null,
    constraint tenantkit_tenants_pkey primary key (tenant_id),
    constraint tenantkit_tenants_name_key unique (name_key)
);

-- Tenant-scoped: tenant_id leads the primary key (and every index), the distribution column for Citus.
create table tenantkit_api_keys (
    tenant_id    varchar(64)              not null,
    key_id       varchar(64)              not null,
    name         varchar(200)             not null,
    -- lower-case hex SHA-256 of the secret; the secret itself is never stored
    secret_hash  varchar(128)             not null,
    -- the scopes, sorted and separated by single spaces
    scopes       varchar(4000)            not null,
    created_at   timestamp with time zone not null,
    expires_at   timestamp with time zone,
    revoked_at   timestamp with time zone,
    last_used_at timestamp with time zone,
    constraint tenantkit_api_keys_pkey primary key (tenant_id, key_id),
    constraint tenantkit_api_keys_tenant_fkey foreign key (tenant_id)
        references tenantkit_tenants (tenant_id)
);
