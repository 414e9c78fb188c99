package dev.tenantkit.tenancy.jobs;

import java.time.Instant;
import java.util.Optional;

/**
 * Named job leases: the storage primitive that lets one application instance at a time run a job (a
 * usage rollup, a billing run, an audit checkpoint, an archival pass) when several share one
 * database. A lease has at most one owner until it expires or the owner releases it. An owner takes
 * it with {@link #acquire} and, while it works, extends it with {@link #renew}, which fails once
 * the lease expired or passed to another owner, so that a job learns it lost the lease instead of
 * silently taking it back. Each lease also keeps the last run its holders reported.
 *
 * <p>A lease is advisory: it excludes owners that ask the store, not writes. An owner whose process
 * pauses past the expiry (a long garbage collection, a suspended VM) still believes it holds the
 * lease until its next {@link #renew}, and may meanwhile write alongside the new owner; work done
 * under a lease must stay correct when repeated (idempotent writes), or check {@link #renew} before
 * each unit it cannot repeat.
 *
 * <p>Time comes from the caller (see {@link JobLease}, which reads it from an injected clock), so
 * the store needs no clock of its own and tests drive expiry with a fake one. Names are at most 64
 * characters, owners at most 128.
 *
 * <p>Implementations must be thread-safe and atomic across every instance sharing them: of two
 * owners acquiring a free or expired lease at once, exactly one succeeds. Failures surface as
 * unchecked exceptions of the backend (Jdbi's {@code JdbiException} for JDBC). Implementations:
 * {@code InMemoryJobLeases} (one process), {@code JdbcJobLeases} (table {@code
 * tenantkit_job_leases}); each passes the contract suite {@code JobLeasesContract} of the
 * tenancy-core test-jar.
 */
public interface JobLeases {

  /**
   * Takes or renews the named lease: succeeds if nobody holds it, if it expired at or before {@code
   * now}, or if {@code owner} holds it already; then it is held by {@code owner} until {@code
   * expiresAt}.
   *
   * @return whether {@code owner} now holds the lease
   */
  boolean acquire(String name, String owner, Instant now, Instant expiresAt);

  /**
   * Extends the named lease to {@code expiresAt} only if {@code owner} holds it and it expires
   * after {@code now}; otherwise changes nothing. Atomic across every instance sharing the store:
   * an owner whose lease expired, even one taken by another owner and released again since, gets
   * {@code false}, never the lease back.
   *
   * @return whether {@code owner} still holds the lease, now until {@code expiresAt}
   */
  boolean renew(String name, String owner, Instant now, Instant expiresAt);

  /**
   * Gives the lease up if {@code owner} holds it (else does nothing), and keeps {@code run} as the
   * lease's last run; with {@code run == null} (a holder that ran no job, such as a purge waiting
   * for the job to stay away) the last run stays as it was.
   */
  void release(String name, String owner, JobRun run);

  /** The last run kept by {@link #release} for the named lease, if any. */
  Optional<JobRun> lastRun(String name);
}
