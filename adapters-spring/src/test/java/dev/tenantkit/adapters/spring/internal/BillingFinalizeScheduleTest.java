package dev.tenantkit.adapters.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Billing;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

class BillingFinalizeScheduleTest {

  @Test
  void aPassFinalizesAndTheScheduleStartsAnIntervalAwayAndStops() {
    InMemoryPlanVersionStore plans = new InMemoryPlanVersionStore();
    try (Metering metering = Metering.builder().store(InMemoryUsageStore.create()).build();
        Billing billing =
            Billing.builder()
                .store(new InMemoryBillingStore())
                .plans(plans)
                .catalog(PriceCatalog.defaults())
                .usage(metering.queries())
                .issuer(new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "TK"))
                .build()) {
      ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
      scheduler.initialize();
      try {
        BillingFinalizeSchedule schedule =
            new BillingFinalizeSchedule(billing, scheduler, Duration.ofHours(1));
        // Nothing is due: a pass finalizes nothing and does not throw.
        schedule.runOnce();

        schedule.start();
        assertThat(schedule.isRunning()).isTrue();
        assertThat(scheduler.getScheduledThreadPoolExecutor().getQueue()).hasSize(1);
        schedule.stop();
        assertThat(schedule.isRunning()).isFalse();
        assertThat(scheduler.getScheduledThreadPoolExecutor().getQueue())
            .allSatisfy(task -> assertThat(task.toString()).contains("Cancelled"));
      } finally {
        scheduler.shutdown();
      }
    }
  }

  @Test
  void theIntervalMustBePositive() {
    assertThatThrownBy(
            () -> new BillingFinalizeSchedule(null, new ThreadPoolTaskScheduler(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
