package dev.tenantkit.tenancy.jobs;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.Optional;

/**
 * One owner's handle on a named lease of {@link JobLeases}: the way a job makes sure it runs on one
 * application instance at a time. The job calls {@link #tryAcquire()} once, before it starts; then
 * {@link #tryRenew()} between units of work (each success extends the lease for the time to live,
 * measured on the injected clock), stopping at the first {@code false}; and {@link
 * #release(JobRun)} when it finishes. Renewing with {@link #tryAcquire()} instead would be wrong:
 * it also succeeds when the lease expired, was taken by another instance and released again
 * meanwhile, so the job would never learn that another instance did some of its work.
 *
 * <pre>{@code
 * JobLease lease = JobLease.of(leases, "billing-run", instanceId, Duration.ofMinutes(10), clock);
 * if (lease.tryAcquire()) {
 *   Instant started = clock.instant();
 *   try {
 *     for (TenantId tenant : tenants) {
 *       if (!lease.tryRenew()) {
 *         break; // lost it: another instance carries on
 *       }
 *       bill(tenant);
 *     }
 *   } finally {
 *     lease.release(new JobRun(started, Duration.between(started, clock.instant()), lease.owner()));
 *   }
 * }
 * }</pre>
 *
 * <p>The lease is advisory, with no fencing: it keeps instances that ask from starting the job, but
 * an instance whose JVM pauses past the expiry (garbage collection, a suspended host) goes on
 * working until its next {@link #tryRenew()} while another instance may hold the lease. Keep each
 * unit of work well inside the time to live and make it safe to repeat (idempotent), or check
 * {@link #tryRenew()} right before a step that must not run twice.
 *
 * <p>Immutable and thread-safe; it keeps no state, so whether it is held is the store's answer.
 */
public final class JobLease {
  private static final int MAX_NAME = 64;
  private static final int MAX_OWNER = 128;

  private final JobLeases leases;
  private final String name;
  private final String owner;
  private final Duration ttl;
  private final InstantSource clock;

  private JobLease(JobLeases leases, String name, String owner, Duration ttl, InstantSource clock) {
    this.leases = leases;
    this.name = name;
    this.owner = owner;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The lease {@code name} of {@code leases}, taken by {@code owner} for {@code ttl} at a time.
   *
   * @param name 1 to 64 characters, such as {@code usage-rollup}
   * @param owner 1 to 128 characters, unique per instance (and per role within it)
   * @param ttl how long an acquisition holds without renewal; positive. A crashed owner blocks the
   *     job for at most this long.
   * @throws IllegalArgumentException if a name is empty or too long, or {@code ttl} is not positive
   * @throws NullPointerException if an argument is null
   */
  public static JobLease of(
      JobLeases leases, String name, String owner, Duration ttl, InstantSource clock) {
    Objects.requireNonNull(leases, "leases");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(clock, "clock");
    requireLength("name", name, MAX_NAME);
    requireLength("owner", owner, MAX_OWNER);
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    return new JobLease(leases, name, owner, ttl, clock);
  }

  private static void requireLength(String what, String value, int max) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.length() > max) {
      throw new IllegalArgumentException(what + " must be 1 to " + max + " characters: " + value);
    }
  }

  /** The lease's name. */
  public String name() {
    return name;
  }

  /** The owner this handle acquires for. */
  public String owner() {
    return owner;
  }

  /**
   * Takes the lease, or renews it if this owner holds it, until now plus the time to live. For the
   * start of a job; between its units of work use {@link #tryRenew()}.
   *
   * @return whether this owner holds the lease now; false if another owner holds it unexpired
   */
  public boolean tryAcquire() {
    Instant now = clock.instant();
    return leases.acquire(name, owner, now, now.plus(ttl));
  }

  /**
   * Extends the lease until now plus the time to live, only if this owner still holds it (it has
   * not expired and no other owner took it); never takes it back once lost.
   *
   * @return whether this owner still holds the lease; false means stop, another instance may carry
   *     on
   */
  public boolean tryRenew() {
    Instant now = clock.instant();
    return leases.renew(name, owner, now, now.plus(ttl));
  }

  /** Gives the lease up, if this owner holds it, keeping the last run as it was. */
  public void release() {
    leases.release(name, owner, null);
  }

  /**
   * Gives the lease up, if this owner holds it, and keeps {@code run} as its last run.
   *
   * @throws NullPointerException if {@code run} is null
   */
  public void release(JobRun run) {
    leases.release(name, owner, Objects.requireNonNull(run, "run"));
  }

  /** The last run kept for this lease, by any owner. */
  public Optional<JobRun> lastRun() {
    return leases.lastRun(name);
  }
}
