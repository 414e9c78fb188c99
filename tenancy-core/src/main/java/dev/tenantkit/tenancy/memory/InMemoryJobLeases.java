package dev.tenantkit.tenancy.memory;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Job leases in memory, for tests and single-process use: they exclude other owners in this process
 * only. Thread-safe: every operation holds one lock. Nothing survives a restart.
 */
public final class InMemoryJobLeases implements JobLeases {
  private final Object lock = new Object();
  private final Map<String, Lease> leases = new HashMap<>();

  private InMemoryJobLeases() {}

  /** New leases, none held. */
  public static InMemoryJobLeases create() {
    return new InMemoryJobLeases();
  }

  @Override
  public boolean acquire(String name, String owner, Instant now, Instant expiresAt) {
    Objects.requireNonNull(owner, "owner");
    synchronized (lock) {
      Lease l = leases.computeIfAbsent(Objects.requireNonNull(name, "name"), n -> new Lease());
      if (l.owner == null || !l.expiresAt.isAfter(now) || l.owner.equals(owner)) {
        l.owner = owner;
        l.expiresAt = expiresAt;
        return true;
      }
      return false;
    }
  }

  @Override
  public boolean renew(String name, String owner, Instant now, Instant expiresAt) {
    Objects.requireNonNull(owner, "owner");
    synchronized (lock) {
      Lease l = leases.get(Objects.requireNonNull(name, "name"));
      if (l == null || !owner.equals(l.owner) || !l.expiresAt.isAfter(now)) {
        return false;
      }
      l.expiresAt = expiresAt;
      return true;
    }
  }

  @Override
  public void release(String name, String owner, JobRun run) {
    synchronized (lock) {
      Lease l = leases.get(name);
      if (l != null && owner.equals(l.owner)) {
        l.owner = null;
        l.expiresAt = null;
        if (run != null) {
          l.lastRun = run;
        }
      }
    }
  }

  @Override
  public Optional<JobRun> lastRun(String name) {
    synchronized (lock) {
      Lease l = leases.get(name);
      return l == null ? Optional.empty() : Optional.ofNullable(l.lastRun);
    }
  }

  private static final class Lease {
    String owner;
    Instant expiresAt;
    JobRun lastRun;
  }
}
