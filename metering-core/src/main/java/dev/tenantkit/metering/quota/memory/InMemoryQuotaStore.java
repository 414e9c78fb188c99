package dev.tenantkit.metering.quota.memory;

import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Quota state in memory, for tests and single-process use; nothing survives a restart and nothing
 * is shared between processes.
 *
 * <p>Thread-safe and lock-free: each counter and bucket is one {@code long} changed by
 * compare-and-set, so {@link #tryAdd} and {@link #tryTake} on an existing counter or bucket
 * allocate nothing. A counter keeps its current and its previous period only (a caller a moment
 * late at a period boundary still finds the previous one); older periods are dropped.
 *
 * <p>{@link #tryApplyAll} applies its operations one by one and undoes the applied ones when a
 * later one is rejected. It never leaves a partial change and never lets a counter pass its
 * ceiling, but while a batch is in flight another caller may see its tentative amounts and be
 * denied where it would have been allowed a moment later.
 */
public final class InMemoryQuotaStore implements QuotaStore {
  private final ConcurrentHashMap<TenantId, TenantState> tenants = new ConcurrentHashMap<>();

  private InMemoryQuotaStore() {}

  /** A new, empty store. */
  public static InMemoryQuotaStore create() {
    return new InMemoryQuotaStore();
  }

  @Override
  public long tryAdd(TenantId tenant, String limit, long periodStart, long amount, long ceiling) {
    Counter c = state(tenant).counter(limit, periodStart);
    if (c == null) {
      // The period is over and was dropped; counting into it changes nothing that is enforced.
      return amount <= ceiling ? amount : QuotaStore.rejected(0);
    }
    return c.tryAdd(amount, ceiling);
  }

  @Override
  public long subtract(TenantId tenant, String limit, long periodStart, long amount) {
    Counter c = state(tenant).counter(limit, periodStart);
    return c == null ? 0 : c.subtract(amount);
  }

  @Override
  public long counter(TenantId tenant, String limit, long periodStart) {
    TenantState s = tenants.get(tenant);
    if (s == null) {
      return 0;
    }
    CounterSlot slot = s.counters.get(limit);
    if (slot == null) {
      return 0;
    }
    Counter c = slot.find(periodStart);
    return c == null ? 0 : c.value;
  }

  @Override
  public long tryTake(TenantId tenant, String limit, long nowNanos, long cost, long burst) {
    return take(state(tenant).bucket(limit), nowNanos, cost, burst);
  }

  private static long take(AtomicLong bucket, long nowNanos, long cost, long burst) {
    while (true) {
      long tat = bucket.get();
      long base = Math.max(tat, nowNanos);
      if (base - nowNanos > burst - cost) {
        return QuotaStore.rejected(base);
      }
      long next = base + cost;
      if (bucket.compareAndSet(tat, next)) {
        return next;
      }
    }
  }

  @Override
  public long bucket(TenantId tenant, String limit) {
    TenantState s = tenants.get(tenant);
    if (s == null) {
      return FULL_BUCKET;
    }
    AtomicLong b = s.buckets.get(limit);
    return b == null ? FULL_BUCKET : b.get();
  }

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    TenantState s = state(tenant);
    int n = operations.size();
    long[] results = new long[n];
    Object[] targets = new Object[n];
    for (int i = 0; i < n; i++) {
      QuotaOperation op = operations.get(i);
      long r;
      if (op instanceof QuotaOperation.TryAdd) {
        QuotaOperation.TryAdd add = (QuotaOperation.TryAdd) op;
        Counter c = s.counter(add.limit(), add.periodStart());
        targets[i] = c;
        r =
            c == null
                ? (add.amount() <= add.ceiling() ? add.amount() : QuotaStore.rejected(0))
                : c.tryAdd(add.amount(), add.ceiling());
      } else {
        QuotaOperation.TryTake take = (QuotaOperation.TryTake) op;
        AtomicLong b = s.bucket(take.limit());
        targets[i] = b;
        r = take(b, take.nowNanos(), take.cost(), take.burst());
      }
      results[i] = r;
      if (QuotaStore.isRejected(r)) {
        undo(operations, targets, i);
        return results;
      }
    }
    return results;
  }

  private static void undo(List<QuotaOperation> operations, Object[] targets, int rejectedAt) {
    for (int j = rejectedAt - 1; j >= 0; j--) {
      QuotaOperation op = operations.get(j);
      if (op instanceof QuotaOperation.TryAdd) {
        Counter c = (Counter) targets[j];
        if (c != null) {
          c.subtract(((QuotaOperation.TryAdd) op).amount());
        }
      } else {
        ((AtomicLong) targets[j]).addAndGet(-((QuotaOperation.TryTake) op).cost());
      }
    }
  }

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    return state(tenant).markers.add(new Marker(limit, periodStart, percent));
  }

  @Override
  public long override(TenantId tenant, String limit) {
    TenantState s = tenants.get(tenant);
    if (s == null) {
      return NO_OVERRIDE;
    }
    Long v = s.overrides.get(limit);
    return v == null ? NO_OVERRIDE : v;
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    TenantState s = tenants.get(tenant);
    return s == null ? Map.of() : Map.copyOf(new TreeMap<>(s.overrides));
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    Objects.requireNonNull(limit, "limit");
    if (amount < 0) {
      throw new IllegalArgumentException("an override is non-negative");
    }
    state(tenant).overrides.put(limit, amount);
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    TenantState s = tenants.get(tenant);
    if (s != null) {
      s.overrides.remove(limit);
    }
  }

  @Override
  public void purge(TenantId tenant) {
    tenants.remove(tenant);
  }

  private TenantState state(TenantId tenant) {
    TenantState s = tenants.get(Objects.requireNonNull(tenant, "tenant"));
    return s != null ? s : tenants.computeIfAbsent(tenant, t -> new TenantState());
  }

  private record Marker(String limit, long periodStart, int percent) {}

  private static final class TenantState {
    final ConcurrentHashMap<String, CounterSlot> counters = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, Long> overrides = new ConcurrentHashMap<>();
    final Set<Marker> markers = ConcurrentHashMap.newKeySet();

    Counter counter(String limit, long periodStart) {
      CounterSlot slot = counters.get(limit);
      if (slot == null) {
        slot = counters.computeIfAbsent(limit, l -> new CounterSlot());
      }
      return slot.findOrCreate(periodStart);
    }

    AtomicLong bucket(String limit) {
      AtomicLong b = buckets.get(limit);
      return b != null ? b : buckets.computeIfAbsent(limit, l -> new AtomicLong(FULL_BUCKET));
    }
  }

  /** The counters of one limit: the newest period, linked to the one before. */
  private static final class CounterSlot {
    private final AtomicReference<Counter> head = new AtomicReference<>();

    Counter find(long period) {
      Counter c = head.get();
      if (c == null || c.period == period) {
        return c;
      }
      Counter previous = c.previous;
      return previous != null && previous.period == period ? previous : null;
    }

    Counter findOrCreate(long period) {
      while (true) {
        Counter c = head.get();
        if (c != null && c.period == period) {
          return c;
        }
        if (c == null || c.period < period) {
          Counter fresh = new Counter(period, c);
          if (head.compareAndSet(c, fresh)) {
            if (c != null) {
              c.previous = null;
            }
            return fresh;
          }
          continue;
        }
        Counter previous = c.previous;
        return previous != null && previous.period == period ? previous : null;
      }
    }
  }

  /** One counter; its value is changed only by compare-and-set. */
  private static final class Counter {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long period;
    volatile Counter previous;
    volatile long value;

    Counter(long period, Counter previous) {
      this.period = period;
      this.previous = previous;
    }

    long tryAdd(long amount, long ceiling) {
      while (true) {
        long v = value;
        if (v > ceiling - amount) {
          return QuotaStore.rejected(v);
        }
        if (VALUE.compareAndSet(this, v, v + amount)) {
          return v + amount;
        }
      }
    }

    long subtract(long amount) {
      while (true) {
        long v = value;
        long next = Math.max(0, v - amount);
        if (VALUE.compareAndSet(this, v, next)) {
          return next;
        }
      }
    }
  }
}
