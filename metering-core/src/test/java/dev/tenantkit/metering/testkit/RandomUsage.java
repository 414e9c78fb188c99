package dev.tenantkit.metering.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Percentiles;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Random usage of two tenants over three days across a daylight-saving change in New York, every
 * meter of {@link TestMeters}, with a snapshot of every kind of query and an independent oracle.
 */
public final class RandomUsage {
  public static final List<TenantId> TENANTS = List.of(TenantId.of("acme"), TenantId.of("bravo"));
  private static final List<String> ENDPOINTS = List.of("/a", "/b", "/c", "/d");
  private static final List<String> MODELS = List.of("small", "large");
  private static final List<String> REGIONS = List.of("eu", "us", "ap");
  private static final List<String> PLANS = List.of("free", "pro");

  private final Instant start = Instant.parse("2026-03-07T03:00:00Z");
  private final Instant end = start.plus(Duration.ofDays(3));
  private final List<UsageEvent> events = new ArrayList<>();

  public RandomUsage(int n, long seed) {
    Random r = new Random(seed);
    long span = Duration.between(start, end).toNanos() / 1000;
    for (int i = 0; i < n; i++) {
      TenantId t = r.nextInt(10) < 7 ? TENANTS.get(0) : TENANTS.get(1);
      MeterDefinition m = TestMeters.ALL.get(r.nextInt(TestMeters.ALL.size()));
      Instant at = start.plus((long) (r.nextDouble() * span), ChronoUnit.MICROS);
      UsageEvent.Builder b = UsageEvent.builder(t, m.name()).timestamp(at).idempotencyKey("e" + i);
      switch (m.name()) {
        case "calls" -> {
          b.dimension("endpoint", pick(r, ENDPOINTS));
          if (r.nextBoolean()) {
            b.dimension("status", r.nextBoolean() ? "200" : "500");
          }
        }
        case "tokens" -> b.quantity(1 + r.nextInt(1000)).dimension("model", pick(r, MODELS));
        case "peak" -> {
          b.quantity(BigDecimal.valueOf(r.nextInt(10_000) - 5_000, 2));
          if (r.nextInt(4) > 0) {
            b.dimension("region", pick(r, REGIONS));
          }
        }
        case "active_users" -> {
          b.dimension("plan", pick(r, PLANS));
          if (r.nextInt(10) > 0) {
            b.userId("user-" + r.nextInt(40));
          }
        }
        case "gauge" -> b.quantity(BigDecimal.valueOf(r.nextInt(200_000) - 100_000, 3));
        case "latency" ->
            b.quantity(BigDecimal.valueOf(500 + r.nextInt(2_000_000), 3))
                .dimension("endpoint", pick(r, ENDPOINTS));
        case "clicks" -> b.dimension("button", r.nextBoolean() ? "buy" : "cancel");
        default -> throw new IllegalStateException(m.name());
      }
      events.add(b.build());
    }
    events.sort(Comparator.comparing(UsageEvent::timestamp));
  }

  private static String pick(Random r, List<String> from) {
    return from.get(r.nextInt(from.size()));
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return end;
  }

  public int stored() {
    return events.size();
  }

  /** Records hour by hour, the clock a little after each hour, flushing buffered meters. */
  public void record(Metering m, FakeClock clock) {
    Map<Instant, List<UsageEvent>> byHour = new TreeMap<>();
    for (UsageEvent e : events) {
      byHour
          .computeIfAbsent(e.timestamp().truncatedTo(ChronoUnit.HOURS), h -> new ArrayList<>())
          .add(e);
    }
    byHour.forEach(
        (hour, group) -> {
          Instant at = hour.plus(Duration.ofMinutes(65));
          clock.advance(Duration.between(clock.instant(), at));
          assertThat(m.usageMeter().recordAll(group)).allMatch(RecordOutcome::counted);
          m.usageMeter().flush();
        });
  }

  /** Every query of every meter and tenant, keyed by a description. */
  public Map<String, Object> snapshot(UsageQueries q, boolean alignedOnly) {
    Instant dayStart = start.truncatedTo(ChronoUnit.DAYS);
    Instant dayEnd = end.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
    List<TimeRange> ranges = new ArrayList<>();
    ranges.add(new TimeRange(dayStart, dayEnd));
    ranges.add(new TimeRange(start.plus(Duration.ofHours(5)), start.plus(Duration.ofHours(29))));
    if (!alignedOnly) {
      ranges.add(new TimeRange(start.plusSeconds(37 * 60 + 13), end.minusSeconds(13 * 60)));
      ranges.add(
          new TimeRange(
              start.plus(Duration.ofDays(1)).plusSeconds(7 * 60),
              start.plus(Duration.ofDays(1)).plusSeconds(7_300)));
    }
    TimeRange whole = ranges.get(0);
    Map<String, Object> out = new LinkedHashMap<>();
    for (TenantId t : TENANTS) {
      for (MeterDefinition m : TestMeters.ALL) {
        String p = t + "/" + m.name() + "/";
        for (TimeRange r : ranges) {
          out.put(p + "total " + r, q.total(t, m.name(), r));
          for (String d : m.dimensions()) {
            out.put(p + "breakdown " + d + " " + r, q.breakdown(t, m.name(), d, r));
          }
          if (m.distribution()) {
            out.put(p + "percentiles " + r, q.percentiles(t, m.name(), r));
          }
        }
        out.put(p + "hours", q.series(t, m.name(), whole, Granularity.HOUR, ZoneOffset.UTC));
        out.put(p + "days", q.series(t, m.name(), whole, Granularity.DAY, ZoneOffset.UTC));
        ZoneId ny = ZoneId.of("America/New_York");
        out.put(p + "days ny", q.series(t, m.name(), whole, Granularity.DAY, ny));
        out.put(p + "hours ny", q.series(t, m.name(), whole, Granularity.HOUR, ny));
        out.put(p + "months", q.series(t, m.name(), whole, Granularity.MONTH, ZoneOffset.UTC));
        if (!alignedOnly) {
          ZoneId india = ZoneId.of("Asia/Kolkata");
          out.put(p + "days india", q.series(t, m.name(), whole, Granularity.DAY, india));
          out.put(p + "minutes", q.series(t, m.name(), ranges.get(3), Granularity.MINUTE, india));
        }
      }
    }
    return out;
  }

  /** Compares whole-range results with values computed here from the generated events. */
  public void checkAgainstOracle(UsageQueries q) {
    TimeRange all = new TimeRange(start, end);
    for (TenantId t : TENANTS) {
      for (MeterDefinition m : TestMeters.ALL) {
        List<UsageEvent> mine =
            events.stream()
                .filter(e -> e.tenantId().equals(t) && e.meter().equals(m.name()))
                .toList();
        assertThat(q.total(t, m.name(), all))
            .as(t + " " + m.name())
            .isEqualByComparingTo(expected(m.aggregation(), mine));
        if (m.distribution()) {
          double[] sorted =
              mine.stream().mapToDouble(e -> e.quantity().doubleValue()).sorted().toArray();
          Percentiles p = q.percentiles(t, m.name(), all);
          assertThat(p.count()).isEqualTo(sorted.length);
          checkQuantile(p.p50(), sorted, 0.50);
          checkQuantile(p.p95(), sorted, 0.95);
          checkQuantile(p.p99(), sorted, 0.99);
        }
      }
    }
  }

  private static void checkQuantile(BigDecimal estimate, double[] sorted, double quantile) {
    double exact = sorted[(int) Math.floor(quantile * (sorted.length - 1))];
    assertThat(estimate.doubleValue()).isCloseTo(exact, within(exact * 0.0101));
  }

  private static BigDecimal expected(Aggregation a, List<UsageEvent> mine) {
    if (mine.isEmpty()) {
      return BigDecimal.ZERO;
    }
    return switch (a) {
      case COUNT -> BigDecimal.valueOf(mine.size());
      case SUM -> mine.stream().map(UsageEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
      case MAX -> mine.stream().map(UsageEvent::quantity).max(Comparator.naturalOrder()).get();
      case UNIQUE_COUNT -> {
        Set<String> users = new HashSet<>();
        mine.stream().map(UsageEvent::userId).filter(Objects::nonNull).forEach(users::add);
        yield BigDecimal.valueOf(users.size());
      }
      case LATEST -> mine.get(mine.size() - 1).quantity();
      case WEIGHTED_SUM ->
          throw new IllegalArgumentException("random usage has no weighted-sum meter");
    };
  }
}
