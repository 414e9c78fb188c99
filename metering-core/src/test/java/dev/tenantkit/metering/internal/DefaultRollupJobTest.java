package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.RollupRun;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.metering.testkit.ObservedStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobRun;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DefaultRollupJobTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("bravo"));

  private final FakeClock clock = FakeClock.at(T0);
  private final UsageStore store = InMemoryUsageStore.create();
  private Metering metering;

  @AfterEach
  void close() {
    metering.close();
  }

  @Test
  void aRunThatLostItsLeaseStopsAtTheNextTenantEvenIfTheLeaseIsFreeAgain() {
    AtomicBoolean lost = new AtomicBoolean();
    JobRun othersRun = new JobRun(T0.plus(Duration.ofMinutes(191)), Duration.ofSeconds(1), "other");
    UsageStore watched =
        ObservedStore.of(
            store,
            (method, result) -> {
              if (method.equals("writeRollups") && lost.compareAndSet(false, true)) {
                // The run pauses past its lease's expiry; another instance takes the lease, runs
                // and releases it before this run asks for the next tenant.
                clock.advance(Duration.ofMinutes(11));
                Instant now = clock.instant();
                assertThat(
                        store
                            .jobLeases()
                            .acquire(DefaultRollupJob.LEASE, "other", now, now.plusSeconds(600)))
                    .isTrue();
                store.jobLeases().release(DefaultRollupJob.LEASE, "other", othersRun);
              }
            });
    metering = Metering.builder().store(watched).catalog(TestMeters.catalog()).clock(clock).build();
    for (TenantId t : TENANTS) {
      metering
          .usageMeter()
          .record(
              UsageEvent.builder(t, "tokens")
                  .quantity(3)
                  .timestamp(T0)
                  .idempotencyKey("k")
                  .build());
    }
    clock.advance(Duration.ofHours(3));

    RollupReport report = metering.rollups().run();

    assertThat(report.tenants()).as("tenants begun before the lease was lost").isEqualTo(1);
    assertThat(TENANTS.stream().filter(t -> store.marks(t).rolledUpTo() != null)).hasSize(1);
    assertThat(metering.rollups().lastRun())
        .as("the other instance's run, not overwritten by the run that lost the lease")
        .contains(new RollupRun(othersRun.startedAt(), othersRun.duration(), "other"));
  }

  @Test
  void aRunThatKeepsItsLeaseRollsUpEveryTenant() {
    metering = Metering.builder().store(store).catalog(TestMeters.catalog()).clock(clock).build();
    for (TenantId t : TENANTS) {
      metering
          .usageMeter()
          .record(
              UsageEvent.builder(t, "tokens")
                  .quantity(3)
                  .timestamp(T0)
                  .idempotencyKey("k")
                  .build());
    }
    clock.advance(Duration.ofHours(3));

    assertThat(metering.rollups().run().tenants()).isEqualTo(2);
    assertThat(TENANTS).allSatisfy(t -> assertThat(store.marks(t).rolledUpTo()).isNotNull());
  }
}
