package dev.tenantkit.adapters.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.RollupJob;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.RollupRun;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class RollupScheduleTest {

  @Test
  void aRunRunsTheJobAndAFailedRunDoesNotThrow() {
    AtomicInteger runs = new AtomicInteger();
    RollupJob job =
        new RollupJob() {
          @Override
          public RollupReport run() {
            if (runs.incrementAndGet() == 2) {
              throw new IllegalStateException("database down");
            }
            return new RollupReport(Instant.EPOCH, Duration.ZERO, true, 0, 0, 0, 0, 0, 0);
          }

          @Override
          public Optional<RollupRun> lastRun() {
            return Optional.empty();
          }
        };
    ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
    scheduler.initialize();
    try {
      RollupSchedule schedule = new RollupSchedule(job, scheduler, Duration.ofHours(1));

      schedule.runOnce();
      schedule.runOnce();
      schedule.runOnce();
      assertThat(runs).hasValue(3);

      schedule.start();
      assertThat(schedule.isRunning()).isTrue();
      assertThat(scheduler.getScheduledThreadPoolExecutor().getQueue()).hasSize(1);
      schedule.stop();
      assertThat(schedule.isRunning()).isFalse();
      assertThat(runs).as("the first scheduled run is an interval away").hasValue(3);
    } finally {
      scheduler.shutdown();
    }
  }

  @Test
  void theIntervalMustBePositive() {
    assertThatThrownBy(() -> new RollupSchedule(null, new ThreadPoolTaskScheduler(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
