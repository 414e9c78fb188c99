package dev.tenantkit.tenancy.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A finished run of a job, kept with its lease so that every instance sharing the store sees the
 * last run of any other.
 *
 * @param startedAt when it started, by the clock of the instance that ran it
 * @param duration how long it took
 * @param owner the instance that ran it
 */
public record JobRun(Instant startedAt, Duration duration, String owner) {
  /**
   * @throws NullPointerException if an argument is null
   */
  public JobRun {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(owner, "owner");
  }
}
