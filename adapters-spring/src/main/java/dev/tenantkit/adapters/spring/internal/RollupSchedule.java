package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.metering.RollupJob;
import dev.tenantkit.metering.RollupReport;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the usage rollup job every {@code tenantkit.metering.rollup.interval} on a {@link
 * TaskScheduler} bean of the application, from the context's start until its stop. The first run is
 * one interval after start. A failed run is logged, and the next one picks up where it stopped.
 * Thread-safe.
 */
public final class RollupSchedule extends FixedDelaySchedule {
  private static final Logger LOG = LoggerFactory.getLogger(RollupSchedule.class);

  private final RollupJob job;

  /**
   * @param job the rollup job
   * @param scheduler where it runs
   * @param interval time between two runs, positive
   * @throws IllegalArgumentException if the interval is not positive
   */
  public RollupSchedule(RollupJob job, TaskScheduler scheduler, Duration interval) {
    super(scheduler, interval, "rollup");
    this.job = Objects.requireNonNull(job, "job");
  }

  /** Runs the job once, logging instead of throwing so the schedule goes on. */
  @Override
  void runOnce() {
    try {
      RollupReport report = job.run();
      LOG.debug("usage rollup: {}", report);
    } catch (RuntimeException e) {
      LOG.warn("usage rollup failed; the next run resumes it", e);
    }
  }
}
