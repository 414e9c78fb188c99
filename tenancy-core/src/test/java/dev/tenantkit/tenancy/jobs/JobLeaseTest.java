package dev.tenantkit.tenancy.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.memory.InMemoryJobLeases;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobLeaseTest {
  private final FakeClock clock = FakeClock.create();
  private final JobLeases leases = InMemoryJobLeases.create();
  private final JobLease one = JobLease.of(leases, "job", "one", Duration.ofMinutes(10), clock);
  private final JobLease two = JobLease.of(leases, "job", "two", Duration.ofMinutes(10), clock);

  @Test
  void eachAcquisitionHoldsForTheTimeToLiveOnTheClock() {
    assertThat(one.tryAcquire()).isTrue();
    clock.advance(Duration.ofMinutes(9));
    assertThat(two.tryAcquire()).isFalse();
    // Renewed: held for ten minutes from now, not from the first acquisition.
    assertThat(one.tryAcquire()).isTrue();
    clock.advance(Duration.ofMinutes(9));
    assertThat(two.tryAcquire()).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(two.tryAcquire()).isTrue();
    assertThat(one.tryAcquire()).isFalse();
  }

  @Test
  void renewingExtendsAHeldLeaseButNeverTakesBackALostOne() {
    assertThat(one.tryRenew()).as("not acquired yet").isFalse();
    assertThat(one.tryAcquire()).isTrue();
    clock.advance(Duration.ofMinutes(9));
    assertThat(one.tryRenew()).isTrue();
    clock.advance(Duration.ofMinutes(9));
    assertThat(two.tryAcquire()).as("renewed ten minutes from the renewal").isFalse();
    clock.advance(Duration.ofMinutes(2));
    assertThat(two.tryAcquire()).isTrue();
    two.release();
    // tryAcquire would take the free lease back; tryRenew tells the job it lost it.
    assertThat(one.tryRenew()).isFalse();
  }

  @Test
  void releasingKeepsTheRunForEveryOwnerToSee() {
    JobRun run = new JobRun(clock.instant(), Duration.ofSeconds(4), one.owner());
    assertThat(one.tryAcquire()).isTrue();
    one.release(run);
    assertThat(two.lastRun()).contains(run);
    assertThat(two.tryAcquire()).isTrue();
    two.release();
    assertThat(one.lastRun()).contains(run);
    assertThat(one.name()).isEqualTo("job");
  }

  @Test
  void namesOwnersAndTimeToLiveAreValidated() {
    Duration ttl = Duration.ofMinutes(1);
    assertThatThrownBy(() -> JobLease.of(leases, "", "o", ttl, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobLease.of(leases, "x".repeat(65), "o", ttl, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobLease.of(leases, "job", "o".repeat(129), ttl, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobLease.of(leases, "job", "o", Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JobLease.of(leases, "job", null, ttl, clock))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> one.release(null)).isInstanceOf(NullPointerException.class);
    assertThat(JobLease.of(leases, "x".repeat(64), "o".repeat(128), ttl, clock).tryAcquire())
        .isTrue();
  }
}
