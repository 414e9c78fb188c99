-- Idempotency keys are printable ASCII and only ever compared for equality, so the order of the
-- primary key's entries need not follow the database's locale. Under the "C" collation the index
-- compares keys byte by byte instead of through strcoll, which was a visible part of the cost of
-- each stored event. Equality, and so uniqueness, is the same under either collation. Rewrites the
-- table and its indexes under an exclusive lock: on a database with many keys, run it in a quiet
-- hour.
alter table tenantkit_metering_keys alter column idempotency_key type varchar(128) collate "C";
