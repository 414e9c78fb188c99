package dev.tenantkit.metering.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Percentiles;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.TenantUsage;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageAcrossTenants;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsagePoint;
import dev.tenantkit.metering.UsageRejectedException;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Page;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link UsageStore} must have, as primitives and through {@link Metering}, in
 * nested groups as Micrometer's compatibility kit has them: {@link Appends} (idempotency, batches,
 * retries), {@link Reads} (listing, queries, isolation between tenants, export), {@link Rollups},
 * {@link Retention}, {@link Purge}, {@link Leases} and {@link Concurrency}. A backend's test
 * extends this class and supplies a fresh, empty store per test; the groups run for every backend,
 * and the helpers above them are shared by all groups.
 */
public abstract class UsageStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  protected static final TenantId A = TenantId.of("acme");
  protected static final TenantId B = TenantId.of("bravo");

  protected UsageStore store;
  private final List<Metering> opened = new ArrayList<>();

  /** A new, empty store; called before each test. */
  protected abstract UsageStore newStore();

  /** How many events the batch concurrency test records (10% of them retries). */
  protected int concurrentEvents() {
    return 1_000_000;
  }

  /** How many single events the single-record concurrency test records (10% of them retries). */
  protected int concurrentSingleEvents() {
    return 20_000;
  }

  /** How many random events the rollup equivalence test records. */
  protected int randomEvents() {
    return 3_000;
  }

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  @AfterEach
  void closeMetering() {
    opened.forEach(Metering::close);
  }

  /** Metering over {@link #store} with the test catalog, the clock and the customisation. */
  protected Metering metering(FakeClock clock, Consumer<Metering.Builder> custom) {
    return metering(store, clock, custom);
  }

  protected Metering metering(UsageStore on, FakeClock clock, Consumer<Metering.Builder> custom) {
    Metering.Builder b = Metering.builder().store(on).catalog(TestMeters.catalog()).clock(clock);
    custom.accept(b);
    Metering m = b.build();
    opened.add(m);
    return m;
  }

  protected static NewEvent newEvent(
      TenantId t, String meter, String key, long quantity, Instant at, String hash) {
    return new NewEvent(
        new UsageEvent(
            t, meter, BigDecimal.valueOf(quantity), at, key, Map.of(), Map.of(), null, null),
        hash,
        at);
  }

  private static String hash(char c) {
    return String.valueOf(c).repeat(64);
  }

  private List<RecordedEvent> scanAll(TenantId t, String meter, Instant from, Instant to) {
    List<RecordedEvent> out = new ArrayList<>();
    store.scan(t, meter, from, to, out::add);
    return out;
  }

  private static UsageEvent event(TenantId t, String key, long quantity) {
    return new UsageEvent(
        t, "tokens", BigDecimal.valueOf(quantity), T0, key, Map.of(), Map.of(), null, null);
  }

  protected static Rollup row(
      TenantId t, String meter, Granularity g, Instant bucket, String dim, String value, long n) {
    return new Rollup(
        t,
        meter,
        g,
        bucket,
        dim,
        value,
        n,
        BigDecimal.valueOf(n),
        BigDecimal.ONE,
        bucket,
        1,
        BigDecimal.ONE,
        null,
        null);
  }

  private UsageEvent tokens(TenantId t, String key, long q, Instant at) {
    return UsageEvent.builder(t, "tokens").quantity(q).timestamp(at).idempotencyKey(key).build();
  }

  private static final TenantId[] RETRY_TENANTS = {A, B, TenantId.of("charlie")};

  /** Event {@code i} of the concurrency tests: the same payload each time it is sent. */
  private static UsageEvent retriable(int i, Instant at) {
    return UsageEvent.builder(RETRY_TENANTS[i % 3], "tokens")
        .quantity(i % 7 + 1)
        .timestamp(at)
        .idempotencyKey("k-" + i)
        .build();
  }

  private static void count(RecordOutcome o, AtomicLong accepted, AtomicLong duplicates) {
    switch (o.status()) {
      case ACCEPTED -> accepted.incrementAndGet();
      case DUPLICATE -> duplicates.incrementAndGet();
      default -> throw new AssertionError("unexpected " + o);
    }
  }

  /** Runs {@code task} once per list, each on its own thread, and rethrows the first failure. */
  private static void inParallel(List<List<Integer>> lists, Consumer<List<Integer>> task)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(lists.size());
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<Integer> l : lists) {
        done.add(pool.submit(() -> task.accept(l)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  /**
   * Events {@code 0 .. unique-1}, each sent once, plus {@code retries} resends of random ones (a
   * tenth of all sends), spread over threads and shuffled within each thread.
   */
  private record Retries(int unique, int retries, List<List<Integer>> perThread) {
    static Retries spread(int total, int threads, long seed) {
      int retries = total / 10;
      int unique = total - retries;
      Random random = new Random(seed);
      List<List<Integer>> work = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        work.add(new ArrayList<>());
      }
      for (int i = 0; i < unique; i++) {
        work.get(i % threads).add(i);
      }
      for (int r = 0; r < retries; r++) {
        work.get(random.nextInt(threads)).add(random.nextInt(unique));
      }
      work.forEach(w -> Collections.shuffle(w, random));
      return new Retries(unique, retries, work);
    }

    /** Each tenant's total is the sum of its unique events, each counted once. */
    void checkTotals(Metering m, TimeRange range) {
      long[] expected = new long[RETRY_TENANTS.length];
      for (int i = 0; i < unique; i++) {
        expected[i % 3] += i % 7 + 1;
      }
      for (int t = 0; t < RETRY_TENANTS.length; t++) {
        assertThat(m.queries().total(RETRY_TENANTS[t], "tokens", range))
            .as(RETRY_TENANTS[t].value())
            .isEqualByComparingTo(BigDecimal.valueOf(expected[t]));
      }
    }
  }

  /** Each percentile within the stated error of the value at rank floor(q * (n - 1)). */
  private static void checkPercentiles(Percentiles p, List<BigDecimal> sorted) {
    assertThat(p.count()).isEqualTo(sorted.size());
    BigDecimal[] estimates = {p.p50(), p.p95(), p.p99()};
    double[] quantiles = {0.50, 0.95, 0.99};
    for (int i = 0; i < quantiles.length; i++) {
      BigDecimal exact = sorted.get((int) Math.floor(quantiles[i] * (sorted.size() - 1)));
      assertThat(estimates[i])
          .as("p%d", Math.round(quantiles[i] * 100))
          .isCloseTo(exact, within(exact.multiply(p.relativeError())));
    }
  }

  private static UsageEvent peak(TenantId t, String key, String quantity, Instant at) {
    return UsageEvent.builder(t, "peak")
        .quantity(new BigDecimal(quantity))
        .timestamp(at)
        .idempotencyKey(key)
        .build();
  }

  private static UsageEvent latency(TenantId t, String key, BigDecimal ms, Instant at) {
    return UsageEvent.builder(t, "latency")
        .quantity(ms)
        .timestamp(at)
        .idempotencyKey(key)
        .dimension("endpoint", "/x")
        .build();
  }

  private static List<String> values(List<UsagePoint> series) {
    return series.stream().map(p -> p.value().stripTrailingZeros().toPlainString()).toList();
  }

  /**
   * Appending: idempotency keys and their payload hashes, batches, every field kept, and retries
   * and batches recorded through {@link Metering}.
   */
  @Nested
  class Appends {
    @Test
    void appendStoresNewKeysAndReportsTheHashOfTakenOnes() {
      List<AppendResult> first =
          store.append(
              List.of(
                  newEvent(A, "tokens", "k1", 5, T0, hash('a')),
                  newEvent(A, "tokens", "k2", 7, T0, hash('b'))));
      assertThat(first).containsExactly(AppendResult.stored(), AppendResult.stored());

      List<AppendResult> again =
          store.append(
              List.of(
                  newEvent(A, "tokens", "k1", 9, T0, hash('c')),
                  newEvent(A, "tokens", "k3", 1, T0, hash('d'))));
      assertThat(again).containsExactly(AppendResult.keyTaken(hash('a')), AppendResult.stored());
      assertThat(scanAll(A, null, T0, T0.plusSeconds(1)))
          .extracting(r -> r.event().quantity())
          .containsExactlyInAnyOrder(
              BigDecimal.valueOf(5), BigDecimal.valueOf(7), BigDecimal.valueOf(1));
    }

    @Test
    void eachEventKeepsItsRecordingInstantAndItsPlaceInTheBatch() {
      Instant r0 = T0.plusSeconds(100);
      store.append(
          List.of(
              new NewEvent(event(A, "k1", 1), hash('a'), r0),
              new NewEvent(event(A, "k2", 2), hash('b'), r0.plusSeconds(1))));
      // With a taken key in the batch, so that stores with a separate path for it take that one.
      List<AppendResult> r =
          store.append(
              List.of(
                  new NewEvent(event(A, "k3", 3), hash('c'), r0.plusSeconds(2)),
                  new NewEvent(event(A, "k1", 9), hash('z'), r0.plusSeconds(2)),
                  new NewEvent(event(A, "k4", 4), hash('d'), r0.plusSeconds(3))));
      assertThat(r)
          .containsExactly(
              AppendResult.stored(), AppendResult.keyTaken(hash('a')), AppendResult.stored());

      List<RecordedEvent> listed = store.events(A, EventFilter.all(), Long.MAX_VALUE, 10);
      assertThat(listed)
          .extracting(e -> e.event().idempotencyKey())
          .containsExactly("k4", "k3", "k2", "k1");
      assertThat(listed)
          .extracting(RecordedEvent::recordedAt)
          .containsExactly(r0.plusSeconds(3), r0.plusSeconds(2), r0.plusSeconds(1), r0);
      assertThat(listed).isSortedAccordingTo((x, y) -> Long.compare(y.id(), x.id()));
    }

    @Test
    void aKeyRepeatedInsideOneBatchIsStoredOnce() {
      List<AppendResult> r =
          store.append(
              List.of(
                  newEvent(A, "tokens", "k", 5, T0, hash('a')),
                  newEvent(A, "tokens", "k", 6, T0, hash('b'))));
      assertThat(r).containsExactly(AppendResult.stored(), AppendResult.keyTaken(hash('a')));
      assertThat(scanAll(A, null, T0, T0.plusSeconds(1))).hasSize(1);
    }

    @Test
    void keysBelongToOneTenant() {
      List<AppendResult> r =
          store.append(
              List.of(
                  newEvent(A, "tokens", "same", 5, T0, hash('a')),
                  newEvent(B, "tokens", "same", 6, T0, hash('b'))));
      assertThat(r).containsExactly(AppendResult.stored(), AppendResult.stored());
    }

    @Test
    void eventsRoundTripWithEveryField() {
      Instant at = Instant.parse("2026-03-02T10:11:12.123456Z");
      UsageEvent e =
          new UsageEvent(
              A,
              "peak",
              new BigDecimal("-12.345678"),
              at,
              "key-1 with space",
              Map.of("region", "eu-west \"quoted\" é"),
              Map.of("note", "=1+1", "empty", ""),
              "user-7",
              "billing-job");
      store.append(List.of(new NewEvent(e, hash('a'), at.plusSeconds(3))));
      RecordedEvent r = scanAll(A, "peak", at, at.plusSeconds(1)).get(0);
      assertThat(r.event()).isEqualTo(e);
      assertThat(r.recordedAt()).isEqualTo(at.plusSeconds(3));
      assertThat(store.events(A, EventFilter.all(), Long.MAX_VALUE, 10)).containsExactly(r);
    }

    @Test
    void appendRegistersTheTenantWithEmptyMarks() {
      assertThat(store.marks(A)).isEqualTo(TenantMarks.none(A));
      assertThat(store.tenants()).isEmpty();
      store.append(
          List.of(
              newEvent(B, "tokens", "a", 1, T0, hash('a')),
              newEvent(A, "tokens", "a", 1, T0, hash('a'))));
      assertThat(store.tenants()).containsExactly(TenantMarks.none(A), TenantMarks.none(B));
    }

    @Test
    void aRetriedEventCountsOnceAndADifferentPayloadIsAConflict() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      Instant at = T0.minusSeconds(30);
      assertThat(m.usageMeter().record(tokens(A, "req-1", 40, at)))
          .isEqualTo(RecordOutcome.accepted());
      assertThat(m.usageMeter().record(tokens(A, "req-1", 40, at)))
          .isEqualTo(RecordOutcome.duplicate());
      assertThatThrownBy(() -> m.usageMeter().record(tokens(A, "req-1", 41, at)))
          .isInstanceOfSatisfying(
              UsageRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectionReason.IDEMPOTENCY_CONFLICT));
      assertThat(m.usageMeter().record(tokens(B, "req-1", 41, at)))
          .isEqualTo(RecordOutcome.accepted());
      TimeRange all = new TimeRange(T0.minusSeconds(3600), T0.plusSeconds(1));
      assertThat(m.queries().total(A, "tokens", all)).isEqualByComparingTo("40");
      assertThat(m.queries().total(B, "tokens", all)).isEqualByComparingTo("41");
    }

    @Test
    void aRetryWithoutTimestampIsADuplicateEvenAfterTheClockMoved() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      UsageEvent e =
          UsageEvent.builder(A, "calls").idempotencyKey("r").dimension("endpoint", "/a").build();
      assertThat(m.usageMeter().record(e)).isEqualTo(RecordOutcome.accepted());
      clock.advance(Duration.ofMinutes(3));
      assertThat(m.usageMeter().record(e)).isEqualTo(RecordOutcome.duplicate());
      List<RecordedEvent> stored = m.queries().events(A, EventFilter.all(), null, 10).items();
      assertThat(stored)
          .singleElement()
          .satisfies(r -> assertThat(r.event().timestamp()).isEqualTo(T0));
    }

    @Test
    void recordAllReportsEachEventAndKeepsTheGoodOnes() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter().record(tokens(A, "old", 5, T0));
      List<RecordOutcome> out =
          m.usageMeter()
              .recordAll(
                  List.of(
                      tokens(A, "n1", 1, T0),
                      UsageEvent.builder(A, "nope").timestamp(T0).build(),
                      tokens(A, "n1", 1, T0),
                      tokens(A, "n1", 2, T0),
                      tokens(A, "old", 5, T0),
                      tokens(A, "old", 6, T0),
                      tokens(A, "late", 1, T0.minus(Duration.ofHours(2))),
                      tokens(A, "n2", 10, T0)));
      assertThat(out)
          .extracting(RecordOutcome::status)
          .containsExactly(
              RecordOutcome.Status.ACCEPTED,
              RecordOutcome.Status.REJECTED,
              RecordOutcome.Status.DUPLICATE,
              RecordOutcome.Status.REJECTED,
              RecordOutcome.Status.DUPLICATE,
              RecordOutcome.Status.REJECTED,
              RecordOutcome.Status.REJECTED,
              RecordOutcome.Status.ACCEPTED);
      assertThat(out)
          .extracting(RecordOutcome::reason)
          .containsExactly(
              null,
              RejectionReason.UNKNOWN_METER,
              null,
              RejectionReason.IDEMPOTENCY_CONFLICT,
              null,
              RejectionReason.IDEMPOTENCY_CONFLICT,
              RejectionReason.TOO_LATE,
              null);
      assertThat(m.queries().total(A, "tokens", new TimeRange(T0, T0.plusSeconds(1))))
          .isEqualByComparingTo("16");
    }

    @Test
    void bufferedEventsAreStoredOnClose() {
      FakeClock clock = FakeClock.at(T0);
      Metering m =
          metering(
              clock,
              b -> b.buffer(100, Duration.ofHours(1), dev.tenantkit.metering.Backpressure.REJECT));
      for (int i = 0; i < 20; i++) {
        assertThat(
                m.usageMeter()
                    .record(
                        UsageEvent.builder(A, "clicks")
                            .idempotencyKey("c" + i)
                            .timestamp(T0)
                            .build()))
            .isEqualTo(RecordOutcome.queued());
      }
      TimeRange range = new TimeRange(T0, T0.plusSeconds(1));
      m.close();
      assertThat(m.queries().total(A, "clicks", range)).isEqualByComparingTo("20");
    }

    @Test
    void aFailingStoreRefusesDurableEventsAndKeepsBufferedOnesForLater() {
      GatedStore failing = GatedStore.counting(store);
      FakeClock clock = FakeClock.at(T0);
      Metering m =
          metering(
              failing,
              clock,
              b -> b.buffer(10, Duration.ofHours(1), dev.tenantkit.metering.Backpressure.REJECT));
      failing.failing(true);
      assertThatThrownBy(() -> m.usageMeter().record(tokens(A, "x", 1, T0)))
          .isInstanceOfSatisfying(
              UsageRejectedException.class,
              e -> assertThat(e.reason()).isEqualTo(RejectionReason.STORE_UNAVAILABLE));
      assertThat(m.usageMeter().recordAll(List.of(tokens(A, "y", 1, T0))))
          .extracting(RecordOutcome::reason)
          .containsExactly(RejectionReason.STORE_UNAVAILABLE);
      m.usageMeter()
          .record(UsageEvent.builder(A, "clicks").timestamp(T0).idempotencyKey("c").build());
      assertThatThrownBy(() -> m.usageMeter().flush()).isInstanceOf(IllegalStateException.class);
      failing.failing(false);
      m.usageMeter().flush();
      m.usageMeter().record(tokens(A, "x", 1, T0));
      TimeRange range = new TimeRange(T0, T0.plusSeconds(1));
      assertThat(m.queries().total(A, "clicks", range)).isEqualByComparingTo("1");
      assertThat(m.queries().total(A, "tokens", range)).isEqualByComparingTo("1");
      Set<String> keys = new HashSet<>();
      m.queries()
          .events(A, EventFilter.all(), null, 10)
          .items()
          .forEach(r -> keys.add(r.event().idempotencyKey()));
      assertThat(keys).containsExactlyInAnyOrder("c", "x");
    }
  }

  /**
   * Reading: scans, listings and queries, isolation between tenants, export, series, percentiles
   * and the consumers across tenants.
   */
  @Nested
  class Reads {
    @Test
    void scanIsHalfOpenAndFiltersByMeter() {
      store.append(
          List.of(
              newEvent(A, "tokens", "a", 1, T0, hash('a')),
              newEvent(A, "calls", "b", 1, T0.plusSeconds(10), hash('a')),
              newEvent(A, "tokens", "c", 1, T0.plusSeconds(20), hash('a'))));
      assertThat(scanAll(A, null, T0, T0.plusSeconds(20))).hasSize(2);
      assertThat(scanAll(A, "tokens", T0, T0.plusSeconds(21)))
          .extracting(r -> r.event().idempotencyKey())
          .containsExactlyInAnyOrder("a", "c");
      assertThat(scanAll(A, null, T0.plusSeconds(1), T0.plusSeconds(20))).hasSize(1);
    }

    @Test
    void firstEventAtFindsTheEarliestTimestampNotBefore() {
      store.append(
          List.of(
              newEvent(A, "tokens", "a", 1, T0.plusSeconds(50), hash('a')),
              newEvent(A, "tokens", "b", 1, T0, hash('a')),
              newEvent(B, "tokens", "c", 1, T0.minusSeconds(100), hash('a'))));
      assertThat(store.firstEventAt(A, Instant.EPOCH)).contains(T0);
      assertThat(store.firstEventAt(A, T0.plusSeconds(1))).contains(T0.plusSeconds(50));
      assertThat(store.firstEventAt(A, T0.plusSeconds(51))).isEmpty();
      assertThat(store.firstEventAt(TenantId.of("nobody"), Instant.EPOCH)).isEmpty();
    }

    @Test
    void eventsAreListedNewestFirstWithFilters() {
      List<NewEvent> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        batch.add(
            new NewEvent(
                new UsageEvent(
                    A,
                    i % 2 == 0 ? "tokens" : "calls",
                    BigDecimal.ONE,
                    T0.plusSeconds(i),
                    "k" + i,
                    Map.of(),
                    Map.of(),
                    i % 3 == 0 ? "u1" : "u2",
                    i < 5 ? "api" : "job"),
                hash('a'),
                T0));
      }
      store.append(batch);
      List<RecordedEvent> all = store.events(A, EventFilter.all(), Long.MAX_VALUE, 100);
      assertThat(all).hasSize(10);
      assertThat(all).isSortedAccordingTo((x, y) -> Long.compare(y.id(), x.id()));
      assertThat(store.events(A, new EventFilter("tokens", null, "u1", null), Long.MAX_VALUE, 100))
          .extracting(r -> r.event().idempotencyKey())
          .containsExactly("k6", "k0");
      assertThat(
              store.events(
                  A,
                  new EventFilter(
                      null, new TimeRange(T0.plusSeconds(2), T0.plusSeconds(6)), null, "api"),
                  Long.MAX_VALUE,
                  100))
          .extracting(r -> r.event().idempotencyKey())
          .containsExactly("k4", "k3", "k2");
      long third = all.get(2).id();
      assertThat(store.events(A, EventFilter.all(), third, 2))
          .extracting(RecordedEvent::id)
          .containsExactly(all.get(3).id(), all.get(4).id());
    }

    @Test
    void noPrimitiveShowsAnotherTenantsData() {
      Instant h = Instant.parse("2026-03-02T10:00:00Z");
      store.append(List.of(newEvent(B, "tokens", "b1", 1, h, hash('b'))));
      store.writeRollups(B, List.of(row(B, "tokens", Granularity.HOUR, h, "", "", 1)), h);
      store.append(List.of(newEvent(A, "calls", "a1", 1, h.plusSeconds(1), hash('a'))));

      assertThat(scanAll(A, null, Instant.EPOCH, h.plusSeconds(3600)))
          .allMatch(e -> e.event().tenantId().equals(A))
          .hasSize(1);
      assertThat(store.events(A, EventFilter.all(), Long.MAX_VALUE, 100)).hasSize(1);
      assertThat(store.events(A, new EventFilter("tokens", null, null, null), Long.MAX_VALUE, 100))
          .isEmpty();
      assertThat(store.rollups(A, null, Granularity.HOUR, Instant.EPOCH, h.plusSeconds(3600), null))
          .isEmpty();
      assertThat(store.firstEventAt(A, Instant.EPOCH)).contains(h.plusSeconds(1));
      assertThat(store.marks(A).rolledUpTo()).isNull();
      assertThat(store.deleteEvents(A, h.plusSeconds(3600))).isEqualTo(1);
      assertThat(scanAll(B, null, Instant.EPOCH, h.plusSeconds(3600))).hasSize(1);
    }

    @Test
    void queriesOfOneTenantNeverShowAnother() throws Exception {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter()
          .record(
              UsageEvent.builder(A, "latency")
                  .quantity(BigDecimal.TEN)
                  .timestamp(T0)
                  .dimension("endpoint", "/a")
                  .userId("alice")
                  .source("api")
                  .build());
      for (int i = 0; i < 5; i++) {
        m.usageMeter()
            .record(
                UsageEvent.builder(B, "latency")
                    .quantity(BigDecimal.valueOf(900 + i))
                    .timestamp(T0)
                    .dimension("endpoint", "/b")
                    .userId("bob")
                    .source("api")
                    .build());
      }
      TimeRange range = new TimeRange(T0.minusSeconds(60), T0.plusSeconds(60));
      assertThat(m.queries().total(A, "latency", range)).isEqualByComparingTo("10");
      assertThat(m.queries().breakdown(A, "latency", "endpoint", range)).containsOnlyKeys("/a");
      assertThat(m.queries().percentiles(A, "latency", range).count()).isEqualTo(1);
      assertThat(
              m.queries().series(A, "latency", range, Granularity.MINUTE, java.time.ZoneOffset.UTC))
          .allMatch(p -> p.value().compareTo(BigDecimal.TEN) <= 0);
      for (EventFilter f :
          List.of(
              EventFilter.all(),
              new EventFilter("latency", range, null, null),
              new EventFilter(null, null, "bob", null),
              new EventFilter(null, null, null, "api"))) {
        assertThat(m.queries().events(A, f, null, 100).items())
            .allMatch(r -> r.event().tenantId().equals(A) && !"bob".equals(r.event().userId()));
      }
      Page<RecordedEvent> bPage = m.queries().events(B, EventFilter.all(), null, 2);
      assertThat(bPage.nextCursor()).isNotNull();
      assertThatThrownBy(() -> m.queries().events(A, EventFilter.all(), bPage.nextCursor(), 2))
          .isInstanceOf(InvalidInputException.class);
      StringWriter csv = new StringWriter();
      assertThat(m.queries().exportCsv(A, EventFilter.all(), csv, 100)).isEqualTo(1);
      assertThat(csv.toString()).doesNotContain("bob").contains("alice");
      assertThat(m.queries().topConsumers("latency", range, 10))
          .extracting(TenantUsage::tenantId)
          .containsExactly(B, A);
      assertThat(m.queries().acrossTenants("latency", range, 1).total())
          .as("a MAX meter's total across tenants is the largest")
          .isEqualByComparingTo("904");
    }

    @Test
    void eventPagesAreStableWhileEventsArriveAndCursorsResistTampering() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      for (int i = 0; i < 7; i++) {
        m.usageMeter().record(tokens(A, "p" + i, 1, T0));
      }
      Page<RecordedEvent> first = m.queries().events(A, EventFilter.all(), null, 3);
      assertThat(first.items())
          .extracting(r -> r.event().idempotencyKey())
          .containsExactly("p6", "p5", "p4");
      m.usageMeter().record(tokens(A, "p7", 1, T0));
      Page<RecordedEvent> second = m.queries().events(A, EventFilter.all(), first.nextCursor(), 3);
      assertThat(second.items())
          .extracting(r -> r.event().idempotencyKey())
          .containsExactly("p3", "p2", "p1");
      Page<RecordedEvent> third = m.queries().events(A, EventFilter.all(), second.nextCursor(), 3);
      assertThat(third.items()).extracting(r -> r.event().idempotencyKey()).containsExactly("p0");
      assertThat(third.nextCursor()).isNull();

      String cursor = first.nextCursor();
      String decoded =
          new String(
              java.util.Base64.getUrlDecoder().decode(cursor),
              java.nio.charset.StandardCharsets.US_ASCII);
      String[] parts = decoded.split("\\.", -1);
      String forged =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(
                  (parts[0] + "." + (Long.parseLong(parts[1]) + 100) + "." + parts[2])
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      for (String bad : List.of(forged, cursor + "x", "garbage!", "", cursor.substring(1))) {
        assertThatThrownBy(() -> m.queries().events(A, EventFilter.all(), bad, 3))
            .as(bad)
            .isInstanceOf(InvalidInputException.class);
      }
      assertThatThrownBy(
              () -> m.queries().events(A, new EventFilter("tokens", null, null, null), cursor, 3))
          .isInstanceOf(InvalidInputException.class);
    }

    @Test
    void csvExportDefusesFormulasAndQuotes() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter()
          .record(
              UsageEvent.builder(A, "calls")
                  .timestamp(T0)
                  .idempotencyKey("=HYPERLINK(\"http://x\")")
                  .userId("+cmd|' /C calc'!A0")
                  .source("-2+3")
                  .dimension("endpoint", "@SUM(1,2)")
                  .property("note", "line1\r\nline2")
                  .build());
      m.usageMeter()
          .record(
              UsageEvent.builder(A, "gauge")
                  .quantity(new BigDecimal("-5.5"))
                  .timestamp(T0)
                  .idempotencyKey("@key")
                  .userId("plain, with comma")
                  .build());
      StringWriter out = new StringWriter();
      assertThat(m.queries().exportCsv(A, EventFilter.all(), out)).isEqualTo(2);
      String[] lines = out.toString().split("\r\n", -1);
      assertThat(lines[0])
          .isEqualTo(
              "id,recorded_at,timestamp,meter,quantity,idempotency_key,user_id,source,dimensions,properties");
      assertThat(lines[1]).contains(",gauge,-5.5,'@key,\"plain, with comma\",,{},{}");
      assertThat(lines[2])
          .contains(",calls,1,\"'=HYPERLINK(\"\"http://x\"\")\",'+cmd|' /C calc'!A0,'-2+3,");
      assertThat(out.toString()).contains("\"{\"\"endpoint\"\":\"\"@SUM(1,2)\"\"}\"");
      assertThat(out.toString()).contains("line1\\r\\nline2");
      StringWriter limited = new StringWriter();
      assertThat(m.queries().exportCsv(A, EventFilter.all(), limited, 1)).isEqualTo(1);
      assertThat(limited.toString().split("\r\n")).hasSize(2);
    }

    @Test
    void minuteSeriesHaveTheExpectedValues() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      Instant nine57 = T0.minusSeconds(180);
      // Before the range, though in its first minute; then 7 in 09:58, 5 in 09:59, 6 in 10:00, and
      // one after the range's end in its last minute.
      m.usageMeter().record(tokens(A, "m0", 100, nine57.plusSeconds(10)));
      m.usageMeter().record(tokens(A, "m1", 3, nine57.plusSeconds(60)));
      m.usageMeter().record(tokens(A, "m2", 4, nine57.plusSeconds(120).minusNanos(1_000)));
      m.usageMeter().record(tokens(A, "m3", 5, nine57.plusSeconds(150)));
      m.usageMeter().record(tokens(A, "m4", 6, T0));
      m.usageMeter().record(tokens(A, "m5", 1_000, T0.plusSeconds(40)));
      m.usageMeter().record(tokens(B, "m6", 70, nine57.plusSeconds(90)));
      m.usageMeter().record(peak(A, "p1", "-2.5", nine57.plusSeconds(70)));
      m.usageMeter().record(peak(A, "p2", "1.25", nine57.plusSeconds(80)));
      m.usageMeter().record(peak(A, "p3", "-7", nine57.plusSeconds(121)));
      TimeRange range = new TimeRange(nine57.plusSeconds(30), T0.plusSeconds(30));
      List<Instant> minutes = List.of(nine57, nine57.plusSeconds(60), nine57.plusSeconds(120), T0);

      for (ZoneId zone : List.of(ZoneOffset.UTC, ZoneId.of("Asia/Kolkata"))) {
        List<UsagePoint> tokens = m.queries().series(A, "tokens", range, Granularity.MINUTE, zone);
        assertThat(tokens).extracting(UsagePoint::start).containsExactlyElementsOf(minutes);
        assertThat(values(tokens)).as(zone.getId()).containsExactly("0", "7", "5", "6");
      }
      assertThat(values(m.queries().series(A, "peak", range, Granularity.MINUTE, ZoneOffset.UTC)))
          .containsExactly("0", "1.25", "-7", "0");
      assertThat(values(m.queries().series(B, "tokens", range, Granularity.MINUTE, ZoneOffset.UTC)))
          .containsExactly("0", "70", "0", "0");

      // After a rollup the minutes still come from the raw events, which are kept.
      clock.advance(Duration.ofHours(3));
      assertThat(m.rollups().run().hoursRolledUp()).isPositive();
      assertThat(values(m.queries().series(A, "tokens", range, Granularity.MINUTE, ZoneOffset.UTC)))
          .containsExactly("0", "7", "5", "6");
    }

    @Test
    void percentilesOfAKnownDistributionAreWithinTheStatedError() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      // A thousand latencies, each 0.5% above the one before (100 ms to about 14.6 s), so that the
      // percentiles one rank step (ten events) apart differ by 5%, more than the stated error.
      List<BigDecimal> sorted = new ArrayList<>();
      List<UsageEvent> events = new ArrayList<>();
      for (int k = 0; k < 1_000; k++) {
        BigDecimal ms =
            BigDecimal.valueOf(100 * Math.pow(1.005, k)).setScale(3, RoundingMode.HALF_UP);
        sorted.add(ms);
        events.add(latency(A, "l" + k, ms, T0.minusSeconds(1 + k * 3L)));
      }
      Collections.shuffle(events, new Random(3));
      assertThat(m.usageMeter().recordAll(events)).allMatch(RecordOutcome::counted);
      m.usageMeter().record(latency(B, "other", BigDecimal.valueOf(1_000_000), T0));
      TimeRange range = new TimeRange(T0.minus(Duration.ofHours(1)), T0);

      Percentiles raw = m.queries().percentiles(A, "latency", range);
      // The stated error of docs/metering.md and UsageQueries.percentiles: 1%.
      assertThat(raw.relativeError()).isEqualByComparingTo("0.01");
      checkPercentiles(raw, sorted);

      clock.advance(Duration.ofHours(3));
      m.rollups().run();
      clock.advance(Duration.ofDays(31));
      assertThat(m.rollups().run().rawEventsDeleted()).isEqualTo(1_001);
      Percentiles rolled = m.queries().percentiles(A, "latency", range);
      assertThat(rolled.relativeError()).isEqualByComparingTo("0.01");
      checkPercentiles(rolled, sorted);
    }

    @Test
    void topConsumersRanksTenantsAcrossTheStore() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter().record(tokens(A, "a", 5, T0));
      m.usageMeter().record(tokens(B, "b", 50, T0));
      m.usageMeter().record(tokens(TenantId.of("charlie"), "c", 20, T0));
      m.usageMeter()
          .record(UsageEvent.builder(TenantId.of("delta"), "calls").timestamp(T0).build());
      clock.advance(Duration.ofHours(3));
      m.rollups().run();
      m.usageMeter().record(tokens(A, "a2", 100, clock.instant()));
      TimeRange range = new TimeRange(T0, clock.instant().plusSeconds(1));
      assertThat(m.queries().topConsumers("tokens", range, 2))
          .containsExactly(
              new TenantUsage(A, BigDecimal.valueOf(105)),
              new TenantUsage(B, BigDecimal.valueOf(50)));
      UsageAcrossTenants tokens = m.queries().acrossTenants("tokens", range, 2);
      assertThat(tokens.total()).as("every tenant, not only the top 2").isEqualByComparingTo("175");
      assertThat(tokens.tenants()).isEqualTo(3);
      assertThat(tokens.top())
          .containsExactlyElementsOf(m.queries().topConsumers("tokens", range, 2));
      assertThat(m.queries().acrossTenants("calls", range, 1))
          .isEqualTo(
              new UsageAcrossTenants(
                  BigDecimal.ONE,
                  1,
                  List.of(new TenantUsage(TenantId.of("delta"), BigDecimal.ONE))));
      assertThatThrownBy(() -> m.queries().acrossTenants("tokens", range, 0))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("top"));
    }

    @Test
    void consumersOfSeveralMetersAgreeWithEachMeterAlone() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter().record(tokens(A, "a", 5, T0));
      m.usageMeter().record(tokens(B, "b", 50, T0));
      m.usageMeter()
          .record(UsageEvent.builder(B, "calls").timestamp(T0).idempotencyKey("c").build());
      m.usageMeter()
          .record(UsageEvent.builder(TenantId.of("delta"), "calls").timestamp(T0).build());
      m.usageMeter().flush();
      clock.advance(Duration.ofHours(3));
      m.rollups().run();
      m.usageMeter().record(tokens(A, "a2", 100, clock.instant()));
      TimeRange range = new TimeRange(T0, clock.instant().plusSeconds(1));

      Map<String, UsageAcrossTenants> both =
          m.queries().acrossTenants(List.of("tokens", "calls", "latency"), range, 2);

      assertThat(both.keySet()).containsExactly("tokens", "calls", "latency");
      for (String meter : both.keySet()) {
        assertThat(both.get(meter)).as(meter).isEqualTo(m.queries().acrossTenants(meter, range, 2));
      }
      assertThat(both.get("tokens").total()).isEqualByComparingTo("155");
      assertThat(both.get("calls").tenants()).isEqualTo(2);
      assertThat(both.get("latency").tenants()).isZero();
      assertThatThrownBy(() -> m.queries().acrossTenants(List.of(), range, 2))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("meters"));
      assertThatThrownBy(() -> m.queries().acrossTenants(List.of("tokens", "nope"), range, 2))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("meter"));
    }
  }

  /** Rollups: rows and marks as primitives, and the rollup job leaving every query unchanged. */
  @Nested
  class Rollups {
    @Test
    void writeRollupsUpsertsRowsAndOnlyMovesTheMarkForward() {
      store.append(List.of(newEvent(A, "tokens", "a", 1, T0, hash('a'))));
      Instant h = Instant.parse("2026-03-02T10:00:00Z");
      store.writeRollups(
          A, List.of(row(A, "tokens", Granularity.HOUR, h, "", "", 3)), h.plusSeconds(3600));
      store.writeRollups(
          A,
          List.of(
              row(A, "tokens", Granularity.HOUR, h, "", "", 5),
              row(A, "tokens", Granularity.HOUR, h, "model", "big", 2)),
          h);
      List<Rollup> rows = store.rollups(A, "tokens", Granularity.HOUR, h, h.plusSeconds(1), null);
      assertThat(rows).hasSize(2);
      assertThat(rows)
          .filteredOn(r -> r.dimension().isEmpty())
          .singleElement()
          .satisfies(r -> assertThat(r.count()).isEqualTo(5));
      assertThat(store.marks(A).rolledUpTo()).isEqualTo(h.plusSeconds(3600));
      store.writeRollups(A, List.of(), h.plusSeconds(7200));
      assertThat(store.marks(A).rolledUpTo()).isEqualTo(h.plusSeconds(7200));
    }

    @Test
    void rollupRowsRoundTripAndFilter() {
      Instant h = Instant.parse("2026-03-02T10:00:00Z");
      Instant d = Instant.parse("2026-03-02T00:00:00Z");
      store.append(
          List.of(
              newEvent(A, "tokens", "a", 1, T0, hash('a')),
              newEvent(B, "tokens", "b", 1, T0, hash('b'))));
      Rollup full =
          new Rollup(
              A,
              "latency",
              Granularity.HOUR,
              h,
              "endpoint",
              "/x",
              4,
              new BigDecimal("12345678901234567890123.5"),
              new BigDecimal("-0.000001"),
              Instant.parse("2026-03-02T10:59:59.999999Z"),
              42,
              new BigDecimal("7"),
              new byte[] {1, 2, 3},
              new byte[] {9, 8});
      store.writeRollups(
          A,
          List.of(
              full,
              row(A, "latency", Granularity.HOUR, h.plusSeconds(3600), "", "", 1),
              row(A, "tokens", Granularity.HOUR, h, "", "", 1),
              row(A, "tokens", Granularity.DAY, d, "", "", 9)),
          h);
      store.writeRollups(B, List.of(row(B, "latency", Granularity.HOUR, h, "", "", 1)), h);

      List<Rollup> one =
          store.rollups(A, "latency", Granularity.HOUR, h, h.plusSeconds(3600), "endpoint");
      assertThat(one).hasSize(1);
      Rollup r = one.get(0);
      assertThat(r).usingRecursiveComparison().ignoringFields("users", "sketch").isEqualTo(full);
      assertThat(r.users()).containsExactly(1, 2, 3);
      assertThat(r.sketch()).containsExactly(9, 8);
      assertThat(store.rollups(A, null, Granularity.HOUR, h, h.plusSeconds(7200), null)).hasSize(3);
      assertThat(store.rollups(A, null, Granularity.DAY, d, d.plus(Duration.ofDays(1)), ""))
          .hasSize(1);
      assertThat(store.rollups(A, "latency", Granularity.HOUR, h, h.plusSeconds(7200), ""))
          .extracting(Rollup::bucketStart)
          .containsExactly(h.plusSeconds(3600));
    }

    @Test
    void rollupsLeaveEveryQueryUnchangedAndRetentionKeepsAlignedOnes() {
      RandomUsage usage = new RandomUsage(randomEvents(), 11);
      FakeClock clock = FakeClock.at(usage.start());
      Metering m =
          metering(clock, b -> b.maxLateness(Duration.ofHours(2)).rawRetention(Duration.ofDays(5)));
      usage.record(m, clock);
      Map<String, Object> before = usage.snapshot(m.queries(), false);
      Map<String, Object> alignedBefore = usage.snapshot(m.queries(), true);
      usage.checkAgainstOracle(m.queries());

      clock.advance(Duration.between(clock.instant(), usage.end().plus(Duration.ofHours(3))));
      RollupReport report = m.rollups().run();
      assertThat(report.ran()).isTrue();
      assertThat(report.tenants()).isEqualTo(2);
      assertThat(report.hoursRolledUp()).isPositive();
      assertThat(report.daysRolledUp()).isPositive();
      assertThat(report.rawEventsDeleted()).isZero();
      assertThat(store.marks(RandomUsage.TENANTS.get(0)).rolledUpTo())
          .isAfterOrEqualTo(usage.end());
      assertThat(usage.snapshot(m.queries(), false)).isEqualTo(before);

      RollupReport again = m.rollups().run();
      assertThat(again.hoursRolledUp()).isZero();
      assertThat(usage.snapshot(m.queries(), false)).isEqualTo(before);
      assertThat(m.rollups().lastRun())
          .get()
          .satisfies(r -> assertThat(r.startedAt()).isEqualTo(clock.instant()));

      clock.advance(Duration.ofDays(6));
      RollupReport retention = m.rollups().run();
      assertThat(retention.rawEventsDeleted()).isEqualTo(usage.stored());
      assertThat(usage.snapshot(m.queries(), true)).isEqualTo(alignedBefore);
      usage.checkAgainstOracle(m.queries());
    }

    @Test
    void rollupsCatchUpInStepsAndAnIdleGapIsSkipped() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      m.usageMeter().record(tokens(A, "a", 3, T0.minusSeconds(60)));
      clock.advance(Duration.ofHours(4));
      m.rollups().run();
      Instant firstMark = store.marks(A).rolledUpTo();
      assertThat(firstMark).isAfter(T0);
      clock.advance(Duration.ofDays(20));
      m.usageMeter().record(tokens(A, "b", 4, clock.instant().minusSeconds(60)));
      Instant later = clock.instant();
      clock.advance(Duration.ofHours(4));
      m.rollups().run();
      assertThat(store.marks(A).rolledUpTo()).isAfter(later);
      TimeRange all = new TimeRange(T0.minus(Duration.ofDays(1)), clock.instant());
      assertThat(m.queries().total(A, "tokens", all)).isEqualByComparingTo("7");
      assertThat(m.queries().series(A, "tokens", all, Granularity.DAY, java.time.ZoneOffset.UTC))
          .hasSize(22)
          .filteredOn(p -> p.value().signum() != 0)
          .extracting(p -> p.value().intValue())
          .containsExactly(3, 4);
    }

    @Test
    void monthSeriesFollowTheZonesCalendarBeforeAndAfterRollupAndRawDeletion() {
      // {when, tokens, peak}: each month of UTC and of New York (UTC-5) has other events.
      Object[][] events = {
        {"2026-01-31T23:30:00Z", 1, "3.5"}, // January in both
        {"2026-02-01T02:00:00Z", 10, "2"}, // February in UTC, still January in New York
        {"2026-02-15T12:00:00Z", 100, "-1"}, // February in both
        {"2026-03-01T04:30:00Z", 1_000, "9"}, // March in UTC, still February in New York
        {"2026-03-20T12:00:00Z", 10_000, "4"} // March in both, after New York's DST change
      };
      FakeClock clock = FakeClock.at(Instant.parse((String) events[0][0]));
      Metering m = metering(clock, b -> {});
      for (int i = 0; i < events.length; i++) {
        Instant at = Instant.parse((String) events[i][0]);
        clock.advance(Duration.between(clock.instant(), at));
        m.usageMeter().record(tokens(A, "t" + i, (Integer) events[i][1], at));
        m.usageMeter().record(peak(A, "p" + i, (String) events[i][2], at));
      }
      m.usageMeter().record(tokens(B, "b", 50_000, Instant.parse("2026-03-20T12:00:00Z")));
      ZoneId ny = ZoneId.of("America/New_York");
      TimeRange utcQuarter =
          new TimeRange(
              Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-04-01T00:00:00Z"));
      TimeRange nyQuarter =
          new TimeRange(
              Instant.parse("2026-01-01T05:00:00Z"), Instant.parse("2026-04-01T04:00:00Z"));
      TimeRange midMonths =
          new TimeRange(
              Instant.parse("2026-01-15T00:00:00Z"), Instant.parse("2026-03-10T00:00:00Z"));
      Runnable check =
          () -> {
            List<UsagePoint> utc =
                m.queries().series(A, "tokens", utcQuarter, Granularity.MONTH, ZoneOffset.UTC);
            assertThat(utc)
                .extracting(UsagePoint::start)
                .containsExactly(
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2026-02-01T00:00:00Z"),
                    Instant.parse("2026-03-01T00:00:00Z"));
            assertThat(values(utc)).containsExactly("1", "110", "11000");
            List<UsagePoint> inNy =
                m.queries().series(A, "tokens", nyQuarter, Granularity.MONTH, ny);
            assertThat(inNy)
                .extracting(UsagePoint::start)
                .containsExactly(
                    Instant.parse("2026-01-01T05:00:00Z"),
                    Instant.parse("2026-02-01T05:00:00Z"),
                    Instant.parse("2026-03-01T05:00:00Z"));
            assertThat(values(inNy)).containsExactly("11", "1100", "10000");
            assertThat(
                    values(
                        m.queries()
                            .series(A, "peak", utcQuarter, Granularity.MONTH, ZoneOffset.UTC)))
                .containsExactly("3.5", "2", "9");
            assertThat(values(m.queries().series(A, "peak", nyQuarter, Granularity.MONTH, ny)))
                .containsExactly("3.5", "9", "4");
            // A range inside the months: the first and last buckets count only their part.
            List<UsagePoint> partial =
                m.queries().series(A, "tokens", midMonths, Granularity.MONTH, ZoneOffset.UTC);
            assertThat(partial.get(0).start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
            assertThat(values(partial)).containsExactly("1", "110", "1000");
            assertThat(
                    values(
                        m.queries()
                            .series(B, "tokens", utcQuarter, Granularity.MONTH, ZoneOffset.UTC)))
                .containsExactly("0", "0", "50000");
          };
      check.run();

      clock.advance(Duration.ofHours(3));
      RollupReport rolled = m.rollups().run();
      assertThat(rolled.hoursRolledUp()).isPositive();
      // The three events of January and February are over 30 days old: their raw rows go, so the
      // series mix rollups and raw events.
      assertThat(rolled.rawEventsDeleted()).isEqualTo(2 * 3);
      check.run();

      clock.advance(Duration.ofDays(31));
      assertThat(m.rollups().run().rawEventsDeleted()).isEqualTo(2 * 2 + 1);
      assertThat(m.queries().events(A, EventFilter.all(), null, 10).items()).isEmpty();
      check.run();
    }
  }

  /** Retention: the deletes of raw events, rollups and idempotency keys, and their defaults. */
  @Nested
  class Retention {
    @Test
    void deletesFollowTheirCutoffsAndMoveTheRawMark() {
      Instant h = Instant.parse("2026-03-02T10:00:00Z");
      store.append(
          List.of(
              newEvent(A, "tokens", "old", 1, h.minusSeconds(10), hash('a')),
              newEvent(A, "tokens", "new", 1, h, hash('a')),
              newEvent(B, "tokens", "old", 1, h.minusSeconds(10), hash('a'))));
      store.writeRollups(
          A,
          List.of(
              row(A, "tokens", Granularity.HOUR, h.minusSeconds(3600), "", "", 1),
              row(A, "tokens", Granularity.HOUR, h, "", "", 1)),
          h.plusSeconds(3600));

      assertThat(store.deleteEvents(A, h)).isEqualTo(1);
      assertThat(store.marks(A).rawEventsFrom()).isEqualTo(h);
      assertThat(scanAll(A, null, Instant.EPOCH, h.plusSeconds(10)))
          .extracting(e -> e.event().idempotencyKey())
          .containsExactly("new");
      assertThat(scanAll(B, null, Instant.EPOCH, h.plusSeconds(10))).hasSize(1);

      assertThat(store.deleteRollups(A, h)).isEqualTo(1);
      assertThat(store.rollups(A, null, Granularity.HOUR, Instant.EPOCH, h.plusSeconds(3600), null))
          .extracting(Rollup::bucketStart)
          .containsExactly(h);

      // Keys are recorded at the event time here (see newEvent), so "old" is pruned, "new" is not.
      assertThat(store.deleteKeys(A, h)).isEqualTo(1);
      assertThat(
              store.append(
                  List.of(
                      newEvent(A, "tokens", "old", 1, h, hash('z')),
                      newEvent(A, "tokens", "new", 1, h, hash('z')))))
          .containsExactly(AppendResult.stored(), AppendResult.keyTaken(hash('a')));
      assertThat(store.append(List.of(newEvent(B, "tokens", "old", 1, h, hash('z')))))
          .containsExactly(AppendResult.keyTaken(hash('a')));
    }

    @Test
    void keysArePrunedAfterTheirRetentionButNotBefore() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> b.rawRetention(Duration.ofDays(1)));
      UsageEvent once = UsageEvent.builder(A, "tokens").idempotencyKey("once").build();
      m.usageMeter().record(once);
      clock.advance(Duration.ofDays(34));
      m.rollups().run();
      m.usageMeter().record(UsageEvent.builder(A, "tokens").idempotencyKey("other").build());
      assertThat(m.usageMeter().record(once)).isEqualTo(RecordOutcome.duplicate());
      clock.advance(Duration.ofDays(2));
      RollupReport r = m.rollups().run();
      assertThat(r.keysPruned()).isEqualTo(1);
      assertThat(m.usageMeter().record(once)).isEqualTo(RecordOutcome.accepted());
    }

    @Test
    void theDefaultRetentionsKeepRawEvents30DaysKeys35DaysAndRollups2Years() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      UsageEvent old = UsageEvent.builder(A, "tokens").quantity(5).idempotencyKey("old").build();
      assertThat(m.usageMeter().record(old)).isEqualTo(RecordOutcome.accepted());
      TimeRange itsHour = new TimeRange(T0, T0.plus(Duration.ofHours(1)));
      TimeRange itsDay = new TimeRange(T0.truncatedTo(ChronoUnit.DAYS), itsHour.to());

      // Raw events go by the hour: its hour [10:00, 11:00) is all older than 30 days at 30d + 1h.
      clock.advance(Duration.ofDays(30).plusHours(1).minusMinutes(1));
      RollupReport young = m.rollups().run();
      assertThat(young.hoursRolledUp()).isPositive();
      assertThat(young.rawEventsDeleted()).as("its hour not yet 30 days old").isZero();
      assertThat(scanAll(A, "tokens", T0, itsHour.to())).hasSize(1);

      clock.advance(Duration.ofMinutes(1));
      RollupReport raw = m.rollups().run();
      assertThat(raw.rawEventsDeleted()).as("its hour 30 days old").isEqualTo(1);
      assertThat(raw.rollupsDeleted()).isZero();
      assertThat(raw.keysPruned()).isZero();
      assertThat(scanAll(A, "tokens", T0, itsHour.to())).isEmpty();
      assertThat(m.queries().events(A, EventFilter.all(), null, 10).items()).isEmpty();
      // Its rollups stay, and so does its key: a retry is still a duplicate without its event.
      assertThat(m.queries().total(A, "tokens", itsHour)).isEqualByComparingTo("5");
      assertThat(values(m.queries().series(A, "tokens", itsDay, Granularity.DAY, ZoneOffset.UTC)))
          .containsExactly("5");
      assertThat(m.usageMeter().record(old)).isEqualTo(RecordOutcome.duplicate());

      clock.advance(
          Duration.between(clock.instant(), T0.plus(Duration.ofDays(35)).minusSeconds(60)));
      assertThat(m.rollups().run().keysPruned()).as("34 days and 23:59 old").isZero();
      assertThat(m.usageMeter().record(old)).isEqualTo(RecordOutcome.duplicate());
      clock.advance(Duration.ofMinutes(2));
      assertThat(m.rollups().run().keysPruned()).as("35 days and 1 minute old").isEqualTo(1);
      assertThat(m.usageMeter().record(old)).isEqualTo(RecordOutcome.accepted());
      assertThat(m.queries().total(A, "tokens", itsHour)).isEqualByComparingTo("5");

      Instant dayAfter = itsDay.from().plus(Duration.ofDays(1));
      int rows =
          store.rollups(A, null, Granularity.HOUR, Instant.EPOCH, dayAfter, null).size()
              + store.rollups(A, null, Granularity.DAY, Instant.EPOCH, dayAfter, null).size();
      assertThat(rows).isPositive();
      // Rollups go by the day: its day is all older than 730 days at the end of its day + 730 days.
      Instant twoYears = dayAfter.plus(Duration.ofDays(730));
      clock.advance(Duration.between(clock.instant(), twoYears.minusSeconds(60)));
      assertThat(m.rollups().run().rollupsDeleted()).as("its day not yet 730 days old").isZero();
      assertThat(m.queries().total(A, "tokens", itsHour)).isEqualByComparingTo("5");

      clock.advance(Duration.ofMinutes(1));
      RollupReport expired = m.rollups().run();
      assertThat(expired.rollupsDeleted()).as("its day 730 days old").isEqualTo(rows);
      assertThat(m.queries().total(A, "tokens", itsDay)).isEqualByComparingTo("0");
      // The event accepted again at day 35 is younger than two years: its rollups stay.
      TimeRange since = new TimeRange(dayAfter, clock.instant());
      assertThat(m.queries().total(A, "tokens", since)).isEqualByComparingTo("5");
    }
  }

  /**
   * Purging a tenant: nothing of it is left, nothing of another is lost, and no rollup run brings
   * it back.
   */
  @Nested
  class Purge {
    @Test
    void purgeRemovesEverythingOfTheTenantAndNothingOfAnother() {
      Instant h = T0.truncatedTo(ChronoUnit.HOURS);
      store.append(
          List.of(
              newEvent(A, "tokens", "k", 5, T0, hash('a')),
              newEvent(B, "tokens", "k", 7, T0, hash('b'))));
      store.writeRollups(A, List.of(row(A, "tokens", Granularity.HOUR, h, "", "", 5)), h);
      store.writeRollups(B, List.of(row(B, "tokens", Granularity.HOUR, h, "", "", 7)), h);

      store.purge(A);
      store.purge(A);

      assertThat(scanAll(A, null, Instant.EPOCH, T0.plusSeconds(10))).isEmpty();
      assertThat(store.rollups(A, null, Granularity.HOUR, h, h.plusSeconds(3600), null)).isEmpty();
      assertThat(store.marks(A)).isEqualTo(TenantMarks.none(A));
      assertThat(store.tenants()).extracting(TenantMarks::tenantId).containsExactly(B);
      // The key is free again: a new tenant of the same id starts from nothing.
      assertThat(store.append(List.of(newEvent(A, "tokens", "k", 1, T0, hash('c')))))
          .containsExactly(AppendResult.stored());
      assertThat(scanAll(A, null, Instant.EPOCH, T0.plusSeconds(10)))
          .extracting(e -> e.event().quantity().intValue())
          .containsExactly(1);
      assertThat(scanAll(B, null, Instant.EPOCH, T0.plusSeconds(10))).hasSize(1);
      assertThat(store.rollups(B, null, Granularity.HOUR, h, h.plusSeconds(3600), null)).hasSize(1);
      assertThat(store.append(List.of(newEvent(B, "tokens", "k", 7, T0, hash('b')))))
          .extracting(AppendResult::inserted)
          .containsExactly(false);
    }

    @Test
    void rollupsWrittenAfterAPurgeDoNotBringTheTenantBack() {
      Instant h = T0.truncatedTo(ChronoUnit.HOURS);
      store.append(List.of(newEvent(A, "tokens", "k", 5, T0, hash('a'))));
      // The rollup job read A's events, then A was purged before the job wrote its rollups.
      store.purge(A);
      store.writeRollups(A, List.of(row(A, "tokens", Granularity.HOUR, h, "", "", 5)), h);
      assertThat(store.rollups(A, null, Granularity.HOUR, h, h.plusSeconds(3600), null)).isEmpty();
      assertThat(store.tenants()).isEmpty();
    }

    @Test
    void aPurgeWaitsForARollupRunInProgressAndKeepsItsLastRun() throws Exception {
      FakeClock clock = FakeClock.at(T0);
      CountDownLatch refused = new CountDownLatch(2);
      UsageStore watched =
          ObservedStore.of(
              store,
              (method, result) -> {
                if (method.equals("acquire") && Boolean.FALSE.equals(result)) {
                  refused.countDown();
                }
              });
      Metering m = metering(watched, clock, b -> {});
      m.usageMeter().record(tokens(A, "a", 5, T0));
      TimeRange range = new TimeRange(T0, T0.plusSeconds(1));
      // Another instance's rollup run holds the job's lease.
      assertThat(
              store
                  .jobLeases()
                  .acquire("usage-rollup", "other", T0, T0.plus(Duration.ofMinutes(10))))
          .isTrue();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<?> purge = pool.submit(() -> m.purge(A));
        assertThat(refused.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(purge).isNotDone();
        assertThat(m.queries().total(A, "tokens", range)).isEqualByComparingTo("5");
        store.jobLeases().release("usage-rollup", "other", null);
        purge.get(10, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      assertThat(m.queries().total(A, "tokens", range)).isEqualByComparingTo("0");
      assertThat(m.rollups().lastRun()).isEmpty();
      assertThat(m.rollups().run().ran()).isTrue();
    }

    @Test
    void meteringPurgeWritesTheBufferFirstSoNoBufferedEventOutlivesIt() {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> b.buffer(100, Duration.ofHours(1), Backpressure.REJECT));
      m.usageMeter()
          .record(UsageEvent.builder(A, "clicks").timestamp(T0).idempotencyKey("c").build());
      m.usageMeter()
          .record(UsageEvent.builder(B, "clicks").timestamp(T0).idempotencyKey("c").build());
      m.usageMeter().record(tokens(A, "t", 3, T0));

      m.purge(A);
      m.usageMeter().flush();

      TimeRange range = new TimeRange(T0, T0.plusSeconds(1));
      assertThat(m.queries().total(A, "clicks", range)).isEqualByComparingTo("0");
      assertThat(m.queries().total(A, "tokens", range)).isEqualByComparingTo("0");
      assertThat(m.queries().events(A, EventFilter.all(), null, 10).items()).isEmpty();
      assertThat(m.queries().total(B, "clicks", range)).isEqualByComparingTo("1");
    }
  }

  /** The store's job leases, which the rollup job and the purge take. */
  @Nested
  class Leases {
    @Test
    void aLeaseHasOneOwnerUntilItExpiresOrIsReleased() {
      JobLeases leases = store.jobLeases();
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
      assertThat(store.jobLeases()).isSameAs(leases);
    }
  }

  /** Concurrency: many callers, with retries, and exact totals. */
  @Nested
  class Concurrency {
    /**
     * The "one million events with 10% retried duplicates from many threads": batches of a
     * thousand through {@code recordAll}, which is how bulk ingestion reaches the store, so that
     * the unique index sees the full million on every backend. A retry lands in another thread's
     * batch (racing its original across transactions) or, now and then, in the same batch.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentRecordingWithRetriesGivesExactTotals() throws Exception {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      int total = concurrentEvents();
      Retries w = Retries.spread(total, 8, 7);
      Instant at = T0.minusSeconds(5);
      AtomicLong accepted = new AtomicLong();
      AtomicLong duplicates = new AtomicLong();
      inParallel(
          w.perThread(),
          mine -> {
            for (int from = 0; from < mine.size(); from += 1_000) {
              List<UsageEvent> batch = new ArrayList<>(1_000);
              for (int i : mine.subList(from, Math.min(mine.size(), from + 1_000))) {
                batch.add(retriable(i, at));
              }
              for (RecordOutcome o : m.usageMeter().recordAll(batch)) {
                count(o, accepted, duplicates);
              }
            }
          });
      assertThat(accepted.get() + duplicates.get()).isEqualTo(total);
      assertThat(accepted.get()).isEqualTo(w.unique());
      assertThat(duplicates.get()).isEqualTo(w.retries());
      w.checkTotals(m, new TimeRange(at, at.plusSeconds(1)));
    }

    /**
     * The same with single {@code record} calls from more threads than the batch test: every retry
     * goes through its own group commit (where one commit carries events of many callers, originals
     * and retries mixed) and answers {@code DUPLICATE} without throwing.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void concurrentSingleRecordsWithRetriesGiveExactTotals() throws Exception {
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(clock, b -> {});
      Retries w = Retries.spread(concurrentSingleEvents(), 16, 11);
      Instant at = T0.minusSeconds(5);
      AtomicLong accepted = new AtomicLong();
      AtomicLong duplicates = new AtomicLong();
      inParallel(
          w.perThread(),
          mine -> {
            for (int i : mine) {
              count(m.usageMeter().record(retriable(i, at)), accepted, duplicates);
            }
          });
      assertThat(accepted.get()).isEqualTo(w.unique());
      assertThat(duplicates.get()).isEqualTo(w.retries());
      w.checkTotals(m, new TimeRange(at, at.plusSeconds(1)));
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void concurrentDurableCallersShareOneCommit() throws Exception {
      GatedStore gated = GatedStore.gated(store);
      FakeClock clock = FakeClock.at(T0);
      Metering m = metering(gated, clock, b -> {});
      List<Thread> callers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        UsageEvent e = tokens(A, "g" + i, 1, T0);
        callers.add(new Thread(() -> m.usageMeter().record(e), "caller-" + i));
      }
      callers.get(0).start();
      gated.awaitEntered();
      for (Thread t : callers.subList(1, 8)) {
        t.start();
      }
      for (Thread t : callers.subList(1, 8)) {
        while (t.getState() != Thread.State.WAITING) {
          Thread.onSpinWait();
        }
      }
      gated.release();
      for (Thread t : callers) {
        t.join();
      }
      assertThat(gated.appends()).isEqualTo(2);
      assertThat(m.queries().total(A, "tokens", new TimeRange(T0, T0.plusSeconds(1))))
          .isEqualByComparingTo("8");
    }
  }
}
