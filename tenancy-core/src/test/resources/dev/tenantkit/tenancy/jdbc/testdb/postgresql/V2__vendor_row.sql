insert into widgets (tenant_id, id, note) values ('vendor', 1, 'postgresql');
