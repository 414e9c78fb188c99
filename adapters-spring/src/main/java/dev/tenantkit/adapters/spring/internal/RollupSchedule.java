package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.metering.RollupJob;
import dev.tenantkit.metering.RollupReport;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * Runs the usage rollup job every {@code tenantkit.metering.rollup.interval} on a {@link
 * TaskScheduler} bean of the application, from the context's start until its stop. The first run is
 * one interval after start. A failed run is logged, and the next one picks up where it stopped.
 * Thread-safe.
 */
public final class RollupSchedule implements SmartLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(RollupSchedule.class);

  private final RollupJob job;
  private final TaskScheduler scheduler;
  private final Duration interval;
  private ScheduledFuture<?> task;

  /**
   * @param job the rollup job
   * @param scheduler where it runs
   * @param interval time between two runs, positive
   * @throws IllegalArgumentException if the interval is not positive
   */
  public RollupSchedule(RollupJob job, TaskScheduler scheduler, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the rollup interval must be positive");
    }
    this.job = Objects.requireNonNull(job, "job");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.interval = interval;
  }

  /** Schedules the job. */
  @Override
  public synchronized void start() {
    if (task == null) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::runOnce, scheduler.getClock().instant().plus(interval), interval);
    }
  }

  /** Cancels the schedule; a run in progress finishes. */
  @Override
  public synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return task != null;
  }

  /** Runs the job once, logging instead of throwing so the schedule goes on. */
  void runOnce() {
    try {
      RollupReport report = job.run();
      LOG.debug("usage rollup: {}", report);
    } catch (RuntimeException e) {
      LOG.warn("usage rollup failed; the next run resumes it", e);
    }
  }
}
