-- H2 has no row-level security; the app's queries filter by tenant_id themselves (as they do on
-- PostgreSQL too). This keeps the version history the same on both databases.
select 1;
