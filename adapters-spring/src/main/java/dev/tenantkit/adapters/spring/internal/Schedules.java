package dev.tenantkit.adapters.spring.internal;

import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What the auto-configurations of Tenantkit's background jobs (the usage rollup, billing's
 * finalization) share: the one-thread scheduler registered when the application has none, and the
 * checks of a job's interval and scheduler, with the startup error that names the property.
 */
public final class Schedules {
  private Schedules() {}

  /**
   * One daemon thread, {@code tenantkit-jobs-1}, that lets a pass in progress finish (at most 30 s)
   * when the context stops.
   */
  public static ThreadPoolTaskScheduler oneThread() {
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.setPoolSize(1);
    scheduler.setThreadNamePrefix("tenantkit-jobs-");
    scheduler.setDaemon(true);
    scheduler.setWaitForTasksToCompleteOnShutdown(true);
    scheduler.setAwaitTerminationSeconds(30);
    return scheduler;
  }

  /**
   * {@code interval}, checked.
   *
   * @throws InvalidPropertyException naming {@code property} if it is missing or not positive
   */
  public static Duration interval(Duration interval, String property, String example) {
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new InvalidPropertyException(property, "must be positive, such as " + example);
    }
    return interval;
  }

  /**
   * The application's one scheduler.
   *
   * @param job what runs on it, as the message says it: "the rollup job"
   * @param enabledProperty the property that turns the job off
   * @param instead what the application does itself when it turns the job off
   * @throws InvalidPropertyException naming {@code enabledProperty} if there are several
   */
  public static TaskScheduler scheduler(
      ObjectProvider<TaskScheduler> schedulers,
      String job,
      String enabledProperty,
      String instead) {
    TaskScheduler scheduler = schedulers.getIfUnique();
    if (scheduler == null) {
      throw new InvalidPropertyException(
          enabledProperty,
          job
              + " (on by default) needs a TaskScheduler to run on, but the application has"
              + " several; mark one @Primary, or set "
              + enabledProperty
              + "=false and "
              + instead);
    }
    return scheduler;
  }
}
