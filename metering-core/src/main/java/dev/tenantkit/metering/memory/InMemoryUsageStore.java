package dev.tenantkit.metering.memory;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.memory.InMemoryJobLeases;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Usage in memory, for tests and single-process use. Thread-safe: every operation holds one lock,
 * so a batch is atomic and keys are exactly unique. Scans copy what they return before calling the
 * sink, so a sink may call back into the store. Nothing survives a restart.
 */
public final class InMemoryUsageStore implements UsageStore {
  private final Object lock = new Object();
  private final Map<TenantId, Tenant> tenants = new TreeMap<>();
  private final InMemoryJobLeases leases = InMemoryJobLeases.create();
  private long nextId = 1;

  private InMemoryUsageStore() {}

  /** A new, empty store. */
  public static InMemoryUsageStore create() {
    return new InMemoryUsageStore();
  }

  @Override
  public List<AppendResult> append(List<NewEvent> events) {
    synchronized (lock) {
      List<AppendResult> results = new ArrayList<>(events.size());
      for (NewEvent n : events) {
        UsageEvent e = n.event();
        Tenant t = tenants.computeIfAbsent(e.tenantId(), Tenant::new);
        Key existing = t.keys.get(e.idempotencyKey());
        if (existing != null) {
          results.add(AppendResult.keyTaken(existing.hash));
          continue;
        }
        t.keys.put(e.idempotencyKey(), new Key(n.payloadHash(), n.recordedAt()));
        RecordedEvent r = new RecordedEvent(nextId++, e, n.recordedAt());
        t.byId.put(r.id(), r);
        t.byTime.put(new TimeKey(e.timestamp(), r.id()), r);
        results.add(AppendResult.stored());
      }
      return results;
    }
  }

  @Override
  public void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {
    List<RecordedEvent> out = new ArrayList<>();
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      if (t != null) {
        for (RecordedEvent r :
            t.byTime
                .subMap(new TimeKey(from, Long.MIN_VALUE), new TimeKey(to, Long.MIN_VALUE))
                .values()) {
          if (meter == null || meter.equals(r.event().meter())) {
            out.add(r);
          }
        }
      }
    }
    out.forEach(sink);
  }

  @Override
  public List<RecordedEvent> eventsInTimeOrder(
      TenantId tenantId,
      String meter,
      Instant from,
      Instant to,
      Instant afterAt,
      long afterId,
      int limit) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      List<RecordedEvent> out = new ArrayList<>();
      if (t == null) {
        return out;
      }
      TimeKey start = new TimeKey(from, Long.MIN_VALUE);
      TimeKey after = afterAt == null ? null : new TimeKey(afterAt, afterId);
      boolean afterIsLater = after != null && after.compareTo(start) >= 0;
      for (RecordedEvent r :
          t.byTime
              .subMap(
                  afterIsLater ? after : start,
                  !afterIsLater,
                  new TimeKey(to, Long.MIN_VALUE),
                  false)
              .values()) {
        if (out.size() == limit) {
          break;
        }
        if (meter.equals(r.event().meter())) {
          out.add(r);
        }
      }
      return out;
    }
  }

  @Override
  public Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      if (t == null) {
        return Optional.empty();
      }
      Map.Entry<TimeKey, RecordedEvent> e =
          t.byTime.ceilingEntry(new TimeKey(notBefore, Long.MIN_VALUE));
      return e == null ? Optional.empty() : Optional.of(e.getKey().at());
    }
  }

  @Override
  public List<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      List<RecordedEvent> out = new ArrayList<>();
      if (t == null) {
        return out;
      }
      for (RecordedEvent r : t.byId.headMap(beforeId, false).descendingMap().values()) {
        if (out.size() == limit) {
          break;
        }
        if (matches(filter, r.event())) {
          out.add(r);
        }
      }
      return out;
    }
  }

  private static boolean matches(EventFilter f, UsageEvent e) {
    return (f.meter() == null || f.meter().equals(e.meter()))
        && (f.range() == null || f.range().contains(e.timestamp()))
        && (f.userId() == null || f.userId().equals(e.userId()))
        && (f.source() == null || f.source().equals(e.source()));
  }

  @Override
  public TenantMarks marks(TenantId tenantId) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      return t == null ? TenantMarks.none(tenantId) : t.marks();
    }
  }

  @Override
  public List<TenantMarks> tenants() {
    synchronized (lock) {
      return tenants.values().stream().map(Tenant::marks).toList();
    }
  }

  @Override
  public List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      List<Rollup> out = new ArrayList<>();
      if (t == null || !from.isBefore(to)) {
        return out;
      }
      for (Rollup r :
          t.rollups
              .subMap(RollupKey.lowest(granularity, from), RollupKey.lowest(granularity, to))
              .values()) {
        if ((meter == null || meter.equals(r.meter()))
            && (dimension == null || dimension.equals(r.dimension()))) {
          out.add(r);
        }
      }
      return out;
    }
  }

  @Override
  public void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {
    synchronized (lock) {
      for (Rollup r : rows) {
        if (!r.tenantId().equals(tenantId)) {
          throw new IllegalArgumentException("a rollup row of another tenant");
        }
      }
      Tenant t = tenants.get(tenantId);
      if (t == null) {
        return;
      }
      rows.forEach(r -> t.rollups.put(RollupKey.of(r), r));
      if (t.rolledUpTo == null || rolledUpTo.isAfter(t.rolledUpTo)) {
        t.rolledUpTo = rolledUpTo;
      }
    }
  }

  @Override
  public long deleteEvents(TenantId tenantId, Instant before) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      if (t == null) {
        return 0;
      }
      NavigableMap<TimeKey, RecordedEvent> old =
          t.byTime.headMap(new TimeKey(before, Long.MIN_VALUE), false);
      long n = old.size();
      old.values().forEach(r -> t.byId.remove(r.id()));
      old.clear();
      if (t.rawEventsFrom == null || before.isAfter(t.rawEventsFrom)) {
        t.rawEventsFrom = before;
      }
      return n;
    }
  }

  @Override
  public long deleteRollups(TenantId tenantId, Instant before) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      if (t == null) {
        return 0;
      }
      long n = 0;
      for (Iterator<RollupKey> it = t.rollups.keySet().iterator(); it.hasNext(); ) {
        if (it.next().bucket().isBefore(before)) {
          it.remove();
          n++;
        }
      }
      return n;
    }
  }

  @Override
  public long deleteKeys(TenantId tenantId, Instant recordedBefore) {
    synchronized (lock) {
      Tenant t = tenants.get(tenantId);
      if (t == null) {
        return 0;
      }
      long before = t.keys.size();
      t.keys.values().removeIf(k -> k.recordedAt.isBefore(recordedBefore));
      return before - t.keys.size();
    }
  }

  @Override
  public void purge(TenantId tenantId) {
    synchronized (lock) {
      tenants.remove(tenantId);
    }
  }

  @Override
  public JobLeases jobLeases() {
    return leases;
  }

  private static final class Tenant {
    final TenantId id;
    final TreeMap<Long, RecordedEvent> byId = new TreeMap<>();
    final TreeMap<TimeKey, RecordedEvent> byTime = new TreeMap<>();
    final Map<String, Key> keys = new HashMap<>();
    final TreeMap<RollupKey, Rollup> rollups = new TreeMap<>();
    Instant rolledUpTo;
    Instant rawEventsFrom;

    Tenant(TenantId id) {
      this.id = id;
    }

    TenantMarks marks() {
      return new TenantMarks(id, rolledUpTo, rawEventsFrom);
    }
  }

  private record Key(String hash, Instant recordedAt) {}

  private record TimeKey(Instant at, long id) implements Comparable<TimeKey> {
    @Override
    public int compareTo(TimeKey o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(id, o.id);
    }
  }

  private record RollupKey(
      Granularity granularity, Instant bucket, String meter, String dimension, String value)
      implements Comparable<RollupKey> {
    private static final Comparator<RollupKey> ORDER =
        Comparator.comparing(RollupKey::granularity)
            .thenComparing(RollupKey::bucket)
            .thenComparing(RollupKey::meter)
            .thenComparing(RollupKey::dimension)
            .thenComparing(RollupKey::value);

    static RollupKey of(Rollup r) {
      return new RollupKey(
          r.granularity(), r.bucketStart(), r.meter(), r.dimension(), r.dimensionValue());
    }

    static RollupKey lowest(Granularity g, Instant bucket) {
      return new RollupKey(g, bucket, "", "", "");
    }

    @Override
    public int compareTo(RollupKey o) {
      return ORDER.compare(this, o);
    }
  }
}
