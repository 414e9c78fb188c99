package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Time-weighted sums ({@link dev.tenantkit.metering.Aggregation#WEIGHTED_SUM}) of one meter, read
 * from raw events in one scan and never holding the events: each event's quantity is an increment
 * of the level, so over a bucket {@code [s, e)} with opening level {@code L} the weighted sum is
 * {@code (L x (e - s) + sum of q x (e - t)) / (e - s)}, each event at {@code t} adding {@code q}
 * for the rest of the bucket. That sum is independent of the order of the events, so the store may
 * stream them in any order. Seconds are exact (nanoseconds as decimal fractions); the one division
 * is at {@link #SCALE} decimals, half-up. Stateless.
 */
final class WeightedSums {
  /** Decimals of a weighted sum, rounded half-up: the precise scale of billing's money. */
  static final int SCALE = 12;

  private WeightedSums() {}

  /** What a bucket's events add to each key: the net change and the level-seconds it adds. */
  private static final class Change {
    BigDecimal net = BigDecimal.ZERO;
    BigDecimal moment = BigDecimal.ZERO;
  }

  /**
   * Each bucket's weighted sum per key (the value of {@code dimension}, or {@code ""} for all
   * events when {@code dimension} is {@code ""}); a key is present when it had an event in the
   * bucket or a level other than zero.
   *
   * @param buckets contiguous buckets, in order
   * @param opening each key's level at the start of the first bucket
   * @throws InvalidInputException if raw events of the range have been deleted by the retention
   */
  static List<Map<String, BigDecimal>> compute(
      UsageStore store,
      TenantId tenant,
      String meter,
      List<TimeRange> buckets,
      String dimension,
      Map<String, BigDecimal> opening,
      TenantMarks marks) {
    Instant from = buckets.get(0).from();
    Instant to = buckets.get(buckets.size() - 1).to();
    requireRawEvents(meter, from, marks);
    Instant[] starts = new Instant[buckets.size()];
    List<Map<String, Change>> changes = new ArrayList<>(buckets.size());
    for (int i = 0; i < buckets.size(); i++) {
      starts[i] = buckets.get(i).from();
      changes.add(new HashMap<>());
    }
    store.scan(
        tenant,
        meter,
        from,
        to,
        e -> {
          Instant at = e.event().timestamp();
          int found = Arrays.binarySearch(starts, at);
          int b = found >= 0 ? found : -found - 2;
          String key = key(e, dimension);
          Change c = changes.get(b).computeIfAbsent(key, k -> new Change());
          BigDecimal q = e.event().quantity();
          c.net = c.net.add(q);
          c.moment = c.moment.add(q.multiply(seconds(at, buckets.get(b).to())));
        });
    Map<String, BigDecimal> levels = new HashMap<>(opening);
    List<Map<String, BigDecimal>> out = new ArrayList<>(buckets.size());
    for (int b = 0; b < buckets.size(); b++) {
      BigDecimal length = seconds(buckets.get(b).from(), buckets.get(b).to());
      Map<String, Change> bucket = changes.get(b);
      Set<String> keys = new LinkedHashSet<>(levels.keySet());
      keys.addAll(bucket.keySet());
      Map<String, BigDecimal> values = new HashMap<>();
      for (String k : keys) {
        BigDecimal level = levels.getOrDefault(k, BigDecimal.ZERO);
        Change c = bucket.get(k);
        BigDecimal levelSeconds = level.multiply(length);
        if (c != null) {
          levelSeconds = levelSeconds.add(c.moment);
          levels.put(k, level.add(c.net));
        }
        BigDecimal value = levelSeconds.divide(length, SCALE, RoundingMode.HALF_UP);
        if (value.signum() != 0 || c != null) {
          values.put(k, Quantities.normalize(value));
        }
      }
      out.add(values);
    }
    return out;
  }

  /**
   * Refuses a read of raw events from {@code from} on when the tenant's raw events before some
   * later instant have been deleted by the retention, rather than answer with events missing.
   *
   * @throws InvalidInputException (field {@code period}) if so
   */
  static void requireRawEvents(String meter, Instant from, TenantMarks marks) {
    Instant rawFrom = marks.rawEventsFrom();
    if (rawFrom != null && from.isBefore(rawFrom)) {
      throw new InvalidInputException(
          "period",
          "meter '"
              + meter
              + "' needs raw events here, and they are kept only from "
              + rawFrom
              + " on (the raw retention)");
    }
  }

  private static String key(RecordedEvent e, String dimension) {
    return dimension.isEmpty() ? "" : e.event().dimensions().getOrDefault(dimension, "");
  }

  /** The exact seconds from {@code a} to {@code b}, nanoseconds as decimals. */
  static BigDecimal seconds(Instant a, Instant b) {
    Duration d = Duration.between(a, b);
    return BigDecimal.valueOf(d.getSeconds()).add(BigDecimal.valueOf(d.getNano(), 9));
  }
}
