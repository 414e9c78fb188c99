package dev.tenantkit.metering.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.TenantUsage;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsagePoint;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Aggregations beyond one bucket's state, on every {@link UsageStore} as {@link UsageStoreContract}
 * runs them: the time-weighted sum (with the worked examples of Lago's documentation), a meter read
 * as another aggregation than it declares, and events streamed oldest first. A backend's test
 * extends this class and supplies a fresh, empty store per test.
 */
public abstract class AggregationContract {
  private static final TenantId A = TenantId.of("acme");
  private static final TenantId B = TenantId.of("bravo");
  private static final TimeRange MARCH_2022 =
      new TimeRange(Instant.parse("2022-03-01T00:00:00Z"), Instant.parse("2022-04-01T00:00:00Z"));
  private static final TimeRange APRIL_2022 =
      new TimeRange(Instant.parse("2022-04-01T00:00:00Z"), Instant.parse("2022-05-01T00:00:00Z"));

  private UsageStore store;
  private Metering metering;

  /** A new, empty store; called before each test. */
  protected abstract UsageStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  @AfterEach
  void closeMetering() {
    if (metering != null) {
      metering.close();
    }
  }

  /**
   * Metering whose clock starts at {@code start}; raw events kept 35 days so that a run at the
   * start of May deletes March's and keeps April's.
   */
  private Metering metering(FakeClock clock) {
    metering =
        Metering.builder()
            .store(store)
            .catalog(TestMeters.catalog())
            .clock(clock)
            .rawRetention(Duration.ofDays(35))
            .build();
    return metering;
  }

  /** Records each event at its own timestamp, moving the clock forward to it. */
  private static void recordAt(Metering m, FakeClock clock, UsageEvent... events) {
    for (UsageEvent e : events) {
      Duration wait = Duration.between(clock.instant(), e.timestamp());
      if (!wait.isNegative()) {
        clock.advance(wait);
      }
      m.usageMeter().record(e);
    }
  }

  private static UsageEvent stored(TenantId t, String key, String gb, String at, String region) {
    UsageEvent.Builder b =
        UsageEvent.builder(t, "stored")
            .quantity(new BigDecimal(gb))
            .timestamp(Instant.parse(at))
            .idempotencyKey(key);
    return region == null ? b.build() : b.dimension("region", region).build();
  }

  private static UsageEvent tokens(TenantId t, String key, long q, Instant at) {
    return UsageEvent.builder(t, "tokens").quantity(q).timestamp(at).idempotencyKey(key).build();
  }

  /**
   * Lago's WEIGHTED SUM page (https://docs.getlago.com/guide/billable-metrics/aggregation-types/
   * weighted-sum): 20 GB on 2022-03-16, then +10 GB on 2022-03-17, in March's 2,678,400 seconds: 20
   * for 86,400 s and 30 for 1,296,000 s, "= 15.1612903226 GB/s". Exactly 40,608,000 / 2,678,400 =
   * 15.16129032258064..., here at 12 decimals half-up. And the weighted sum of its aggregation
   * examples page (https://getlago.com/docs/v2/guide/billable-metrics/aggregation-types/
   * aggregation-examples): 10 then +20 a day later, "(10 x 1 day + 30 x 15 days) / 31 days =
   * 14.84".
   */
  @Test
  void weightedSumReproducesLagosWorkedExamples() {
    FakeClock clock = FakeClock.at(Instant.parse("2022-03-01T00:00:00Z"));
    Metering m = metering(clock);
    recordAt(
        m,
        clock,
        stored(A, "s1", "20", "2022-03-16T00:00:00Z", null),
        tokens(B, "t1", 10, Instant.parse("2022-03-16T00:00:00Z")),
        stored(A, "s2", "10", "2022-03-17T00:00:00Z", null),
        tokens(B, "t2", 20, Instant.parse("2022-03-17T00:00:00Z")));

    assertThat(m.queries().total(A, "stored", MARCH_2022)).isEqualTo("15.161290322581");
    assertThat(m.queries().total(A, "stored", MARCH_2022, Aggregation.WEIGHTED_SUM))
        .isEqualTo("15.161290322581");
    // The same shape in a SUM meter, read as a weighted sum: 460 / 31 = 14.8387096774193...
    assertThat(m.queries().total(B, "tokens", MARCH_2022, Aggregation.WEIGHTED_SUM))
        .isEqualTo("14.838709677419");
    assertThat(m.queries().total(B, "tokens", MARCH_2022)).isEqualTo("30");
  }

  @Test
  void weightedSumCarriesTheLevelOverAndSplitsByBucketAndDimension() {
    FakeClock clock = FakeClock.at(Instant.parse("2022-03-01T00:00:00Z"));
    Metering m = metering(clock);
    recordAt(
        m,
        clock,
        stored(A, "s1", "20", "2022-03-16T00:00:00Z", "eu"),
        stored(A, "s2", "10", "2022-03-17T00:00:00Z", "us"),
        stored(B, "b1", "7", "2022-03-20T00:00:00Z", null),
        stored(A, "s3", "-5", "2022-04-16T00:00:00Z", "eu"),
        stored(A, "s4", "4", "2022-04-20T06:00:00Z", "us"));
    UsageQueries q = m.queries();

    // April opens at 30 (March's events): 30 for 15 days, 25 for 4 days 6 hours, 29 for 10 days
    // 18 hours = 868 GB-days over 30 days.
    BigDecimal april = new BigDecimal("28.933333333333");
    assertThat(q.total(A, "stored", APRIL_2022)).isEqualTo(april);
    List<UsagePoint> days =
        q.series(A, "stored", APRIL_2022, Granularity.DAY, ZoneOffset.UTC).stream().toList();
    assertThat(days).hasSize(30);
    assertThat(days.get(0).value()).isEqualTo("30");
    assertThat(days.get(15).value()).isEqualTo("25");
    // 25 for 6 hours, then 29 for 18: 28.
    assertThat(days.get(19).value()).isEqualTo("28");
    assertThat(days.get(29).value()).isEqualTo("29");
    // Per region, each with its own opening level: eu 20 then 15, us 10 then 14.
    Map<String, BigDecimal> regions = q.breakdown(A, "stored", "region", APRIL_2022);
    assertThat(regions)
        .containsExactly(
            Map.entry("eu", new BigDecimal("17.5")),
            Map.entry("us", new BigDecimal("11.433333333333")));
    // March per region: eu 20 x 16 days / 31 = 10.3225806451612..., us 10 x 15 / 31.
    assertThat(q.breakdown(A, "stored", "region", MARCH_2022))
        .containsEntry("eu", new BigDecimal("10.322580645161"))
        .containsEntry("us", new BigDecimal("4.838709677419"));

    // B had no event in April but held 7 GB all month: it is a consumer of April.
    List<TenantUsage> top = q.topConsumers("stored", APRIL_2022, 10);
    assertThat(top)
        .containsExactly(new TenantUsage(A, april), new TenantUsage(B, new BigDecimal("7")));

    // After a rollup run on May 1st March's raw events are gone (35 days kept): April still opens
    // at the level summed from rollups, and March can no longer be weighted.
    clock.advance(Duration.between(clock.instant(), Instant.parse("2022-05-01T01:00:00Z")));
    assertThat(m.rollups().run().rawEventsDeleted()).isPositive();
    assertThat(q.total(A, "stored", APRIL_2022)).isEqualTo(april);
    assertThat(q.breakdown(A, "stored", "region", APRIL_2022)).isEqualTo(regions);
    assertThat(q.total(A, "stored", MARCH_2022, Aggregation.SUM)).isEqualTo("30");
    assertThatThrownBy(() -> q.total(A, "stored", MARCH_2022))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("period"));
    // Nor are March's events streamed with some of them missing.
    assertThatThrownBy(() -> q.forEachEvent(A, "stored", MARCH_2022, e -> {}))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("period"));
    assertThat(q.forEachEvent(A, "stored", APRIL_2022, e -> {})).isEqualTo(2);
  }

  /**
   * One division at 12 decimals, half-up (away from zero): 0.001 GB held for the last microsecond
   * of 2,000 seconds is 5E-13, which is 1E-12 (half-even would give 0), and -0.001 is -1E-12.
   */
  @Test
  void weightedSumIsDividedOnceAtTwelveDecimalsHalfUp() {
    Instant start = Instant.parse("2022-03-02T00:00:00Z");
    FakeClock clock = FakeClock.at(start);
    Metering m = metering(clock);
    Instant last = start.plusSeconds(2_000).minusNanos(1_000);
    recordAt(
        m,
        clock,
        stored(A, "a", "0.001", last.toString(), null),
        stored(B, "b", "-0.001", last.toString(), null));
    TimeRange range = new TimeRange(start, start.plusSeconds(2_000));

    assertThat(m.queries().total(A, "stored", range)).isEqualTo("1E-12");
    assertThat(m.queries().total(B, "stored", range)).isEqualTo("-1E-12");
    // Once the level is held for the whole range, it is the level, whatever the range's length.
    assertThat(m.queries().total(A, "stored", new TimeRange(range.to(), range.to().plusNanos(1))))
        .isEqualTo("0.001");
  }

  @Test
  void aMeterIsReadAsAnotherAggregationWhereThatMakesSense() {
    FakeClock clock = FakeClock.at(Instant.parse("2022-03-01T00:00:00Z"));
    Metering m = metering(clock);
    Instant t = Instant.parse("2022-03-02T00:00:00Z");
    recordAt(m, clock, tokens(A, "t1", 5, t), tokens(A, "t2", 7, t.plusSeconds(1)));
    recordAt(m, clock, tokens(A, "t3", 3, t.plusSeconds(2)));
    UsageQueries q = m.queries();

    assertThat(q.total(A, "tokens", MARCH_2022, Aggregation.SUM)).isEqualTo("15");
    assertThat(q.total(A, "tokens", MARCH_2022, Aggregation.MAX)).isEqualTo("7");
    assertThat(q.total(A, "tokens", MARCH_2022, Aggregation.COUNT)).isEqualTo("3");
    assertThat(q.total(A, "gauge", MARCH_2022, Aggregation.MAX)).isEqualTo("0");
    for (String[] refused :
        new String[][] {
          {"tokens", "LATEST"},
          {"tokens", "UNIQUE_COUNT"},
          {"peak", "SUM"},
          {"gauge", "WEIGHTED_SUM"},
          {"calls", "SUM"},
          {"stored", "MAX"}
        }) {
      assertThatThrownBy(() -> q.total(A, refused[0], MARCH_2022, Aggregation.valueOf(refused[1])))
          .as("%s as %s", refused[0], refused[1])
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("aggregation"));
    }
    assertThatThrownBy(() -> q.total(A, "tokens", MARCH_2022, null))
        .isInstanceOf(InvalidInputException.class);
  }

  /**
   * 1,203 events over more than two pages, stored out of timestamp order (each second's events
   * recorded after the next second's), some sharing a timestamp: streamed by timestamp, then by id,
   * with other meters, tenants and the range's end left out.
   */
  @Test
  void eventsStreamOldestFirstPageByPage() {
    FakeClock clock = FakeClock.at(Instant.parse("2022-03-02T00:00:00Z"));
    Metering m = metering(clock);
    Instant t = Instant.parse("2022-03-01T23:30:00Z");
    List<UsageEvent> batch = new ArrayList<>();
    for (int i = 0; i < 1_203; i++) {
      // Seconds 1, 0, 3, 2, ...: each pair's later second is recorded first; every third event
      // shares the previous one's timestamp.
      int second = (i / 3) ^ 1;
      batch.add(tokens(A, "e" + i, i, t.plusSeconds(second)));
    }
    batch.add(tokens(B, "other-tenant", 1, t));
    batch.add(stored(A, "other-meter", "1", t.toString(), null));
    batch.add(tokens(A, "at-the-end", 1, t.plusSeconds(1_000)));
    m.usageMeter().recordAll(batch);

    List<RecordedEvent> seen = new ArrayList<>();
    long n =
        m.queries().forEachEvent(A, "tokens", new TimeRange(t, t.plusSeconds(1_000)), seen::add);

    assertThat(n).isEqualTo(1_203);
    assertThat(seen).hasSize(1_203).isSortedAccordingTo(UsageStore.TIME_ORDER);
    assertThat(seen).extracting(e -> e.event().meter()).containsOnly("tokens");
    assertThat(seen.stream().map(e -> e.event().idempotencyKey()).distinct()).hasSize(1_203);

    // The primitive itself, two at a time from a key in the middle of a timestamp.
    List<RecordedEvent> page =
        store.eventsInTimeOrder(
            A,
            "tokens",
            t,
            t.plusSeconds(1_000),
            seen.get(4).event().timestamp(),
            seen.get(4).id(),
            2);
    assertThat(page).containsExactly(seen.get(5), seen.get(6));
    assertThat(store.eventsInTimeOrder(B, "tokens", t, t.plusSeconds(1), null, 0, 10)).hasSize(1);
    assertThat(
            store.eventsInTimeOrder(
                TenantId.of("nobody"), "tokens", t, t.plusSeconds(1), null, 0, 10))
        .isEmpty();
    // Nothing is left out by the default implementation either.
    List<RecordedEvent> viaDefault = new ArrayList<>();
    UsageStore scanOnly = GatedStore.counting(store);
    Instant afterAt = null;
    long afterId = 0;
    List<RecordedEvent> p;
    do {
      p = scanOnly.eventsInTimeOrder(A, "tokens", t, t.plusSeconds(1_000), afterAt, afterId, 500);
      viaDefault.addAll(p);
      if (!p.isEmpty()) {
        afterAt = p.get(p.size() - 1).event().timestamp();
        afterId = p.get(p.size() - 1).id();
      }
    } while (p.size() == 500);
    assertThat(viaDefault).isEqualTo(seen);
    Collections.reverse(viaDefault);
    assertThat(viaDefault).isNotEqualTo(seen);
  }
}
