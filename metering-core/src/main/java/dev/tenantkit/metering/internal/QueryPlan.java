package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.spi.TenantMarks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which source answers each part of each bucket of a query. Below the tenant's rolled-up mark,
 * whole UTC days come from daily rollups, whole hours from hourly rollups, and pieces of an hour
 * (bucket edges in a zone whose offset is not whole hours, minute buckets, ranges not on the hour)
 * from raw events while they are kept. Once raw events of such an hour are deleted, the hour's
 * rollup counts whole in the bucket that holds the start of the hour. At and above the mark
 * everything comes from raw events. The parts cover every bucket exactly once, so each event is
 * counted once.
 */
final class QueryPlan {
  enum Kind {
    RAW,
    HOURS,
    DAYS,
    /**
     * The hourly rollup starting at {@code from} counts whole; the rest of the hour is nobody's.
     */
    HOUR_AT,
    NONE
  }

  record Part(Instant from, Instant to, Kind kind, int bucket) {}

  private final TreeMap<Instant, Part> parts = new TreeMap<>();

  private QueryPlan() {}

  static QueryPlan of(List<TimeRange> buckets, TenantMarks marks) {
    QueryPlan plan = new QueryPlan();
    Instant rolled = marks.rolledUpTo();
    Instant rawFrom = marks.rawEventsFrom();
    for (int b = 0; b < buckets.size(); b++) {
      Instant s = buckets.get(b).from();
      Instant e = buckets.get(b).to();
      if (rolled == null || !s.isBefore(rolled)) {
        plan.add(s, e, Kind.RAW, b);
        continue;
      }
      Instant rolledEnd = Times.min(e, rolled);
      plan.rolled(s, rolledEnd, rawFrom, b);
      if (rolledEnd.isBefore(e)) {
        plan.add(rolledEnd, e, Kind.RAW, b);
      }
    }
    return plan;
  }

  private void rolled(Instant x, Instant y, Instant rawFrom, int b) {
    Instant hx = Times.ceilHour(x);
    Instant hy = Times.floorHour(y);
    if (hx.isAfter(hy)) {
      // Inside one hour; that hour starts before x, so without raw events it is not ours.
      add(x, y, rawKept(Times.floorHour(x), rawFrom) ? Kind.RAW : Kind.NONE, b);
      return;
    }
    if (x.isBefore(hx)) {
      add(x, hx, rawKept(Times.floorHour(x), rawFrom) ? Kind.RAW : Kind.NONE, b);
    }
    if (hx.isBefore(hy)) {
      Instant d1 = Times.ceilDay(hx);
      Instant d2 = Times.floorDay(hy);
      if (d1.isBefore(d2)) {
        if (hx.isBefore(d1)) {
          add(hx, d1, Kind.HOURS, b);
        }
        add(d1, d2, Kind.DAYS, b);
        if (d2.isBefore(hy)) {
          add(d2, hy, Kind.HOURS, b);
        }
      } else {
        add(hx, hy, Kind.HOURS, b);
      }
    }
    if (hy.isBefore(y)) {
      add(hy, y, rawKept(hy, rawFrom) ? Kind.RAW : Kind.HOUR_AT, b);
    }
  }

  private static boolean rawKept(Instant hour, Instant rawFrom) {
    return rawFrom == null || !hour.isBefore(rawFrom);
  }

  private void add(Instant from, Instant to, Kind kind, int bucket) {
    parts.put(from, new Part(from, to, kind, bucket));
  }

  /** The intervals to read raw events from, adjacent ones merged. */
  List<TimeRange> rawIntervals() {
    return merged(Kind.RAW, null);
  }

  /** The span to read hourly rollups from, or {@code null} if none are needed. */
  TimeRange hourSpan() {
    return span(Kind.HOURS, Kind.HOUR_AT);
  }

  /** The span to read daily rollups from, or {@code null} if none are needed. */
  TimeRange daySpan() {
    return span(Kind.DAYS, Kind.DAYS);
  }

  /** The bucket a raw event at {@code t} counts in, or -1. */
  int bucketOfRaw(Instant t) {
    Part p = partAt(t);
    return p != null && p.kind == Kind.RAW ? p.bucket : -1;
  }

  /** The bucket the hourly rollup starting at {@code hour} counts in, or -1. */
  int bucketOfHour(Instant hour) {
    Part p = partAt(hour);
    if (p == null) {
      return -1;
    }
    if (p.kind == Kind.HOURS || (p.kind == Kind.HOUR_AT && p.from.equals(hour))) {
      return p.bucket;
    }
    return -1;
  }

  /** The bucket the daily rollup starting at {@code day} counts in, or -1. */
  int bucketOfDay(Instant day) {
    Part p = partAt(day);
    return p != null && p.kind == Kind.DAYS ? p.bucket : -1;
  }

  private Part partAt(Instant t) {
    Map.Entry<Instant, Part> e = parts.floorEntry(t);
    if (e == null || !t.isBefore(e.getValue().to)) {
      return null;
    }
    return e.getValue();
  }

  private List<TimeRange> merged(Kind kind, Kind alsoKind) {
    List<TimeRange> out = new ArrayList<>();
    Instant from = null;
    Instant to = null;
    for (Part p : parts.values()) {
      if (p.kind != kind && p.kind != alsoKind) {
        continue;
      }
      if (to != null && to.equals(p.from)) {
        to = p.to;
      } else {
        if (from != null) {
          out.add(new TimeRange(from, to));
        }
        from = p.from;
        to = p.to;
      }
    }
    if (from != null) {
      out.add(new TimeRange(from, to));
    }
    return out;
  }

  private TimeRange span(Kind a, Kind b) {
    Instant from = null;
    Instant to = null;
    for (Part p : parts.values()) {
      if (p.kind == a || p.kind == b) {
        from = from == null ? p.from : from;
        to = p.to;
      }
    }
    return from == null ? null : new TimeRange(from, to);
  }
}
