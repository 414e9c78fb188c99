create table widgets (
    tenant_id varchar(64) not null,
    id        integer     not null,
    note      varchar(64) not null,
    constraint widgets_pkey primary key (tenant_id, id)
);
