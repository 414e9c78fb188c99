-- Metadata of the files tenants upload; the bytes are under <data-dir>/files/<tenant>/<id>.
-- tenant_id leads the primary key and every index, as in Tenantkit's own tables.
create table sample_files (
    tenant_id    varchar(64)  not null,
    id           varchar(32)  not null,
    name         varchar(255) not null,
    type         varchar(16)  not null,
    content_type varchar(255) not null,
    size_bytes   bigint       not null,
    sha256       varchar(64)  not null,
    created_at   timestamp with time zone not null,
    primary key (tenant_id, id)
);

create index sample_files_by_created on sample_files (tenant_id, created_at, id);
