-- An application's own first migration that refers to a Tenantkit table.
create table projects (
    tenant_id varchar(64)  not null references tenantkit_tenants (tenant_id),
    name      varchar(200) not null,
    primary key (tenant_id, name)
);
