package dev.tenantkit.adapters.spring.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;

/**
 * A background pass run every interval on a {@link TaskScheduler} bean of the application, from the
 * context's start until its stop; the first pass is one interval after start. A failed pass is left
 * to {@link #runOnce()} to log, so the schedule goes on and the next pass picks up what is left.
 * Thread-safe.
 */
public abstract class FixedDelaySchedule implements SmartLifecycle {
  private final TaskScheduler scheduler;
  private final Duration interval;
  private ScheduledFuture<?> task;

  /**
   * @param what what the interval is of, for the error message
   * @throws IllegalArgumentException if the interval is not positive
   */
  FixedDelaySchedule(TaskScheduler scheduler, Duration interval, String what) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the " + what + " interval must be positive");
    }
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.interval = interval;
  }

  /** Schedules the passes. */
  @Override
  public final synchronized void start() {
    if (task == null) {
      task =
          scheduler.scheduleWithFixedDelay(
              this::runOnce, scheduler.getClock().instant().plus(interval), interval);
    }
  }

  /** Cancels the schedule; a pass in progress finishes. */
  @Override
  public final synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  @Override
  public final synchronized boolean isRunning() {
    return task != null;
  }

  /** Runs one pass, logging instead of throwing so the schedule goes on. */
  abstract void runOnce();
}
