package dev.tenantkit.tenancy.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link JobLeases} must have. A backend's test extends this class, supplies
 * fresh leases per test and, for a shared backend, a second instance on the same storage, as a
 * second application instance would have.
 */
public abstract class JobLeasesContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final int CONTENDERS = 8;
  private static final int ROUNDS = 40;

  protected JobLeases leases;

  /** New leases on an empty store; called before each test. */
  protected abstract JobLeases newLeases();

  /**
   * Another instance on the store of the last {@link #newLeases()}, as another application instance
   * sees it; the same object for a backend that lives in one process.
   */
  protected JobLeases sameStoreAgain() {
    return leases;
  }

  @BeforeEach
  void setUpLeases() {
    leases = newLeases();
  }

  @Test
  void aLeaseHasOneOwnerUntilItExpiresOrIsReleased() {
    assertThat(leases.lastRun("job")).isEmpty();
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    assertThat(leases.acquire("job", "two", T0.plusSeconds(59), T0.plusSeconds(120))).isFalse();
    assertThat(leases.acquire("job", "one", T0.plusSeconds(30), T0.plusSeconds(90))).isTrue();
    assertThat(leases.acquire("job", "two", T0.plusSeconds(89), T0.plusSeconds(150))).isFalse();
    assertThat(leases.acquire("job", "two", T0.plusSeconds(90), T0.plusSeconds(150))).isTrue();
    leases.release("job", "one", new JobRun(T0, Duration.ofSeconds(1), "one"));
    assertThat(leases.lastRun("job")).isEmpty();
    leases.release("job", "two", new JobRun(T0.plusSeconds(90), Duration.ofMillis(1500), "two"));
    assertThat(leases.lastRun("job"))
        .contains(new JobRun(T0.plusSeconds(90), Duration.ofMillis(1500), "two"));
    assertThat(leases.acquire("job", "one", T0.plusSeconds(91), T0.plusSeconds(200))).isTrue();
    assertThat(leases.acquire("other", "two", T0.plusSeconds(91), T0.plusSeconds(200))).isTrue();
  }

  @Test
  void aReleasedLeaseIsFreeAtOnce() {
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    leases.release("job", "one", null);
    assertThat(leases.acquire("job", "two", T0.plusSeconds(1), T0.plusSeconds(60))).isTrue();
  }

  @Test
  void aReleaseWithoutARunKeepsTheLastRun() {
    JobRun run = new JobRun(T0, Duration.ofMillis(250), "one");
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    leases.release("job", "one", run);
    assertThat(leases.acquire("job", "purge", T0.plusSeconds(1), T0.plusSeconds(60))).isTrue();
    leases.release("job", "purge", null);
    assertThat(leases.lastRun("job")).contains(run);
    assertThat(leases.acquire("job", "two", T0.plusSeconds(2), T0.plusSeconds(60))).isTrue();
  }

  @Test
  void theLastRunIsKeptToTheMicrosecond() {
    JobRun run = new JobRun(Instant.parse("2026-03-02T10:00:00.123456Z"), Duration.ofNanos(7), "x");
    assertThat(leases.acquire("job", "x", T0, T0.plusSeconds(60))).isTrue();
    leases.release("job", "x", run);
    assertThat(leases.lastRun("job")).contains(run);
  }

  @Test
  void leasesOfOtherNamesAreIndependent() {
    assertThat(leases.acquire("rollup", "one", T0, T0.plusSeconds(60))).isTrue();
    assertThat(leases.acquire("billing", "two", T0, T0.plusSeconds(60))).isTrue();
    leases.release("billing", "two", new JobRun(T0, Duration.ofSeconds(2), "two"));
    assertThat(leases.lastRun("rollup")).isEmpty();
    assertThat(leases.acquire("rollup", "two", T0.plusSeconds(1), T0.plusSeconds(60))).isFalse();
  }

  @Test
  void anotherInstanceSeesTheHolderAndTheLastRun() {
    JobLeases other = sameStoreAgain();
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    assertThat(other.acquire("job", "two", T0.plusSeconds(1), T0.plusSeconds(60))).isFalse();
    leases.release("job", "one", new JobRun(T0, Duration.ofSeconds(3), "one"));
    assertThat(other.lastRun("job")).contains(new JobRun(T0, Duration.ofSeconds(3), "one"));
    assertThat(other.acquire("job", "two", T0.plusSeconds(1), T0.plusSeconds(60))).isTrue();
  }

  @Test
  void onlyTheHolderRenewsAnUnexpiredLease() {
    assertThat(leases.renew("job", "one", T0, T0.plusSeconds(60))).as("never held").isFalse();
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    assertThat(leases.renew("job", "two", T0.plusSeconds(1), T0.plusSeconds(60))).isFalse();
    assertThat(leases.renew("job", "one", T0.plusSeconds(59), T0.plusSeconds(120))).isTrue();
    // Renewed to 120: another owner is still refused after the first expiry.
    assertThat(leases.acquire("job", "two", T0.plusSeconds(100), T0.plusSeconds(160))).isFalse();
    assertThat(leases.renew("job", "one", T0.plusSeconds(120), T0.plusSeconds(180)))
        .as("expired at 120")
        .isFalse();
    leases.release("job", "one", null);
    assertThat(leases.acquire("job", "two", T0.plusSeconds(121), T0.plusSeconds(180))).isTrue();
  }

  @Test
  void aReleasedLeaseIsNotRenewed() {
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    leases.release("job", "one", null);
    assertThat(leases.renew("job", "one", T0.plusSeconds(1), T0.plusSeconds(60))).isFalse();
    assertThat(leases.acquire("job", "two", T0.plusSeconds(2), T0.plusSeconds(60))).isTrue();
  }

  @Test
  void anOwnerWhoseLeaseExpiredAndWasTakenCannotRenewItEvenAfterTheTakerReleased() {
    JobLeases other = sameStoreAgain();
    assertThat(leases.acquire("job", "one", T0, T0.plusSeconds(60))).isTrue();
    // "one" pauses past its expiry; "two" on another instance takes the lease, works and releases.
    assertThat(other.acquire("job", "two", T0.plusSeconds(61), T0.plusSeconds(121))).isTrue();
    assertThat(leases.renew("job", "one", T0.plusSeconds(62), T0.plusSeconds(122))).isFalse();
    other.release("job", "two", new JobRun(T0.plusSeconds(61), Duration.ofSeconds(5), "two"));
    assertThat(leases.renew("job", "one", T0.plusSeconds(70), T0.plusSeconds(130)))
        .as("lost once, the lease stays lost to renew")
        .isFalse();
    assertThat(other.acquire("job", "three", T0.plusSeconds(71), T0.plusSeconds(131))).isTrue();
    assertThat(other.lastRun("job"))
        .contains(new JobRun(T0.plusSeconds(61), Duration.ofSeconds(5), "two"));
  }

  @Test
  void ofAnExpiredHolderRenewingAndAnotherOwnerAcquiringAtOnceExactlyOneHoldsTheLease()
      throws Exception {
    List<JobLeases> instances = List.of(leases, sameStoreAgain());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String name = "job-" + round;
        assertThat(leases.acquire(name, "old", T0, T0.plusSeconds(60))).isTrue();
        // The lease expired at 60; the old owner renews as another owner takes it.
        Instant now = T0.plusSeconds(60 + round % 3);
        JobLeases forOld = instances.get(round % 2);
        JobLeases forNew = instances.get((round + 1) % 2);
        CountDownLatch start = new CountDownLatch(1);
        Future<Boolean> renewed =
            pool.submit(
                () -> {
                  start.await();
                  return forOld.renew(name, "old", now, now.plusSeconds(60));
                });
        Future<Boolean> taken =
            pool.submit(
                () -> {
                  start.await();
                  return forNew.acquire(name, "new", now, now.plusSeconds(60));
                });
        start.countDown();
        assertThat(renewed.get()).as("round %d: renewed", round).isFalse();
        assertThat(taken.get()).as("round %d: taken", round).isTrue();
        assertThat(leases.renew(name, "old", now, now.plusSeconds(60))).isFalse();
        assertThat(leases.renew(name, "new", now, now.plusSeconds(60))).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void ofOwnersRacingForAFreeOrExpiredLeaseExactlyOneWins() throws Exception {
    List<JobLeases> instances = List.of(leases, sameStoreAgain());
    ExecutorService pool = Executors.newFixedThreadPool(CONTENDERS);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        // Even rounds race for a lease nobody ever held, odd ones for the expired lease of round-1.
        String name = "job-" + (round / 2);
        Instant now = T0.plusSeconds(120L * round);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int c = 0; c < CONTENDERS; c++) {
          JobLeases on = instances.get(c % 2);
          String owner = "owner-" + round + "-" + c;
          answers.add(
              pool.submit(
                  () -> {
                    start.await();
                    return on.acquire(name, owner, now, now.plusSeconds(60));
                  }));
        }
        start.countDown();
        int won = 0;
        for (Future<Boolean> a : answers) {
          won += a.get() ? 1 : 0;
        }
        assertThat(won).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
