package dev.tenantkit.tenancy.jdbc;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Job leases in the table {@code tenantkit_job_leases} of tenancy-core's migrations, shared by
 * every application instance on the database: the {@link JobLeases} of every JDBC store.
 *
 * <p>Acquiring is one conditional {@code UPDATE} (free, expired, or already ours) and, when the
 * lease row does not exist yet, an {@code INSERT ... ON CONFLICT DO NOTHING}: the database's row
 * lock and primary key decide between instances racing for it. Renewing is one conditional {@code
 * UPDATE} that matches only a row this owner holds unexpired. The table is not tenant data and has
 * no row-level security; each call is a transaction of its own.
 *
 * <p>Thread-safe. Database failures surface as Jdbi's unchecked {@link
 * org.jdbi.v3.core.JdbiException}.
 */
public final class JdbcJobLeases implements JobLeases {
  private final JdbcStorage storage;

  private JdbcJobLeases(JdbcStorage storage) {
    this.storage = storage;
  }

  /**
   * Leases on {@code storage}, whose tenancy migrations ({@link JdbcTenancyStore#migrate}, or any
   * store builder that migrates) are applied.
   */
  public static JdbcJobLeases of(JdbcStorage storage) {
    return new JdbcJobLeases(Objects.requireNonNull(storage, "storage"));
  }

  @Override
  public boolean acquire(String name, String owner, Instant now, Instant expiresAt) {
    return storage.inTransaction(
        h -> {
          int updated =
              h.createUpdate(
                      "update tenantkit_job_leases set owner = ?, expires_at = ?"
                          + " where name = ? and (owner is null or expires_at <= ? or owner = ?)")
                  .bind(0, owner)
                  .bind(1, expiresAt)
                  .bind(2, name)
                  .bind(3, now)
                  .bind(4, owner)
                  .execute();
          if (updated == 1) {
            return true;
          }
          return h.createUpdate(
                      "insert into tenantkit_job_leases (name, owner, expires_at)"
                          + " values (?, ?, ?) on conflict do nothing")
                  .bind(0, name)
                  .bind(1, owner)
                  .bind(2, expiresAt)
                  .execute()
              == 1;
        });
  }

  @Override
  public boolean renew(String name, String owner, Instant now, Instant expiresAt) {
    return storage.inTransaction(
            h ->
                h.createUpdate(
                        "update tenantkit_job_leases set expires_at = ?"
                            + " where name = ? and owner = ? and expires_at > ?")
                    .bind(0, expiresAt)
                    .bind(1, name)
                    .bind(2, owner)
                    .bind(3, now)
                    .execute())
        == 1;
  }

  @Override
  public void release(String name, String owner, JobRun run) {
    if (run == null) {
      storage.useTransaction(
          h ->
              h.createUpdate(
                      "update tenantkit_job_leases set owner = null, expires_at = null"
                          + " where name = ? and owner = ?")
                  .bind(0, name)
                  .bind(1, owner)
                  .execute());
      return;
    }
    storage.useTransaction(
        h ->
            h.createUpdate(
                    "update tenantkit_job_leases set owner = null, expires_at = null,"
                        + " last_started_at = ?, last_duration_nanos = ?, last_owner = ?"
                        + " where name = ? and owner = ?")
                .bind(0, run.startedAt())
                .bind(1, run.duration().toNanos())
                .bind(2, run.owner())
                .bind(3, name)
                .bind(4, owner)
                .execute());
  }

  @Override
  public Optional<JobRun> lastRun(String name) {
    return storage.inTransaction(
        h ->
            h.createQuery(
                    "select last_started_at, last_duration_nanos, last_owner"
                        + " from tenantkit_job_leases where name = ?"
                        + " and last_started_at is not null")
                .bind(0, name)
                .map(
                    (rs, ctx) ->
                        new JobRun(
                            rs.getObject("last_started_at", OffsetDateTime.class).toInstant(),
                            Duration.ofNanos(rs.getLong("last_duration_nanos")),
                            rs.getString("last_owner")))
                .findOne());
  }
}
