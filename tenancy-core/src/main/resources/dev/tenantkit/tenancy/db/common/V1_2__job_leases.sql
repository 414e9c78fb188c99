-- Job leases (not tenant data): which application instance runs a named job now, until when, and
-- the job's last finished run. Shared by every module's jobs (usage rollups today; billing runs,
-- audit checkpoints and archival next) through JdbcJobLeases.
create table tenantkit_job_leases (
    name                varchar(64)              not null,
    owner               varchar(128),
    expires_at          timestamp with time zone,
    last_started_at     timestamp with time zone,
    last_duration_nanos bigint,
    last_owner          varchar(128),
    primary key (name)
);
