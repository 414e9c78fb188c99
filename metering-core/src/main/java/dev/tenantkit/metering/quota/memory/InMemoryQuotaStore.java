package dev.tenantkit.metering.quota.memory;

import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.metering.quota.spi.QuotaCell;
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

/**
 * Quota state in memory, for tests and single-process use; nothing survives a restart and nothing
 * is shared between processes.
 *
 * <p>Thread-safe and lock-free: a tenant's limit is one {@link QuotaCell} object holding its
 * counters, its bucket and its override, and each counter and bucket is one {@code long} changed by
 * compare-and-set, so the conditional operations on an existing counter or bucket allocate nothing.
 * A counter keeps its current and its previous period only (a caller a moment late at a period
 * boundary still finds the previous one); older periods are dropped. {@link #purge} empties a
 * tenant's cells rather than dropping them, so a cell held by an enforcer stays the tenant's. A
 * counter's value is padded to a cache line of its own (about 150 bytes per counter, at most two
 * per tenant and counted limit), so threads deciding for different tenants never slow each other
 * down by writing to one line.
 *
 * <p>{@link #tryApplyAll} applies its operations one by one and undoes the applied ones when a
 * later one is rejected (reading the state of the ones after it, as the contract asks). It never
 * leaves a partial change and never lets a counter pass its ceiling, but while a batch is in flight
 * another caller may see its tentative amounts and be denied where it would have been allowed a
 * moment later.
 */
public final class InMemoryQuotaStore implements QuotaStore {
  private final ConcurrentHashMap<TenantId, TenantState> tenants = new ConcurrentHashMap<>();

  private InMemoryQuotaStore() {}

  /** A new, empty store. */
  public static InMemoryQuotaStore create() {
    return new InMemoryQuotaStore();
  }

  @Override
  public QuotaCell cell(TenantId tenant, String limit) {
    return state(tenant).cell(Objects.requireNonNull(limit, "limit"));
  }

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    TenantState s = state(tenant);
    int n = operations.size();
    long[] results = new long[n];
    Cell[] cells = new Cell[n];
    for (int i = 0; i < n; i++) {
      QuotaOperation op = operations.get(i);
      Cell c = s.cell(op.limit());
      cells[i] = c;
      long r;
      if (op instanceof QuotaOperation.TryAdd add) {
        r = c.tryAdd(add.periodStart(), add.amount(), add.ceiling(), add.expectedOverride());
      } else {
        QuotaOperation.TryTake take = (QuotaOperation.TryTake) op;
        r = c.tryTake(take.nowNanos(), take.cost(), take.burst(), take.expectedOverride());
      }
      results[i] = r;
      if (!CellResult.isApplied(r)) {
        undo(operations, cells, i);
        if (CellResult.isRejected(r)) {
          standing(s, operations, results, i + 1);
        }
        return results;
      }
    }
    return results;
  }

  /** The operations from {@code from} on, not tried: each a rejection of its current state. */
  private static void standing(
      TenantState s, List<QuotaOperation> operations, long[] results, int from) {
    for (int j = from; j < results.length; j++) {
      QuotaOperation op = operations.get(j);
      Cell c = s.cell(op.limit());
      results[j] =
          op instanceof QuotaOperation.TryAdd add
              ? CellResult.rejected(c.counter(add.periodStart()))
              : CellResult.rejected(Math.max(c.tat, ((QuotaOperation.TryTake) op).nowNanos()));
    }
  }

  private static void undo(List<QuotaOperation> operations, Cell[] cells, int rejectedAt) {
    for (int j = rejectedAt - 1; j >= 0; j--) {
      QuotaOperation op = operations.get(j);
      if (op instanceof QuotaOperation.TryAdd add) {
        cells[j].subtract(add.periodStart(), add.amount());
      } else {
        cells[j].giveBack(((QuotaOperation.TryTake) op).cost());
      }
    }
  }

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    return state(tenant).markers.add(new Marker(limit, periodStart, percent));
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    TenantState s = tenants.get(tenant);
    if (s == null) {
      return Map.of();
    }
    Map<String, Long> out = new TreeMap<>();
    s.cells.forEach(
        (limit, c) -> {
          long o = c.override;
          if (o != NO_OVERRIDE) {
            out.put(limit, o);
          }
        });
    return Map.copyOf(out);
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    Objects.requireNonNull(limit, "limit");
    if (amount < 0) {
      throw new IllegalArgumentException("an override is non-negative");
    }
    state(tenant).cell(limit).override = amount;
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    TenantState s = tenants.get(tenant);
    Cell c = s == null ? null : s.cells.get(limit);
    if (c != null) {
      c.override = NO_OVERRIDE;
    }
  }

  @Override
  public void purge(TenantId tenant) {
    TenantState s = tenants.get(tenant);
    if (s != null) {
      s.cells.values().forEach(Cell::clear);
      s.markers.clear();
    }
  }

  private TenantState state(TenantId tenant) {
    TenantState s = tenants.get(Objects.requireNonNull(tenant, "tenant"));
    return s != null ? s : tenants.computeIfAbsent(tenant, t -> new TenantState());
  }

  private record Marker(String limit, long periodStart, int percent) {}

  private static final class TenantState {
    final ConcurrentHashMap<String, Cell> cells = new ConcurrentHashMap<>();
    final Set<Marker> markers = ConcurrentHashMap.newKeySet();

    Cell cell(String limit) {
      Cell c = cells.get(limit);
      return c != null ? c : cells.computeIfAbsent(limit, l -> new Cell());
    }
  }

  /**
   * One tenant's limit: the newest counter (linked to the one before), the bucket's {@code tat} and
   * the override, each changed only by compare-and-set or a plain volatile write.
   */
  private static final class Cell implements QuotaCell {
    private static final VarHandle HEAD;
    private static final VarHandle TAT;

    static {
      try {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        HEAD = lookup.findVarHandle(Cell.class, "head", Counter.class);
        TAT = lookup.findVarHandle(Cell.class, "tat", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    volatile Counter head;
    volatile long tat = FULL_BUCKET;
    volatile long override = NO_OVERRIDE;

    @Override
    public long override() {
      return override;
    }

    @Override
    public long tryAdd(long periodStart, long amount, long ceiling, long expectedOverride) {
      if (override != expectedOverride) {
        return CellResult.OVERRIDE_CHANGED;
      }
      Counter c = findOrCreate(periodStart);
      if (c == null) {
        // The period is over and was dropped; counting into it changes nothing that is enforced.
        return amount <= ceiling ? CellResult.applied(amount) : CellResult.rejected(0);
      }
      return c.tryAdd(amount, ceiling);
    }

    @Override
    public long subtract(long periodStart, long amount) {
      Counter c = findOrCreate(periodStart);
      return c == null ? 0 : c.subtract(amount);
    }

    @Override
    public long counter(long periodStart) {
      Counter c = head;
      if (c != null && c.period != periodStart) {
        Counter previous = c.previous;
        c = previous != null && previous.period == periodStart ? previous : null;
      }
      return c == null ? 0 : c.value;
    }

    @Override
    public long tryTake(long nowNanos, long cost, long burst, long expectedOverride) {
      if (override != expectedOverride) {
        return CellResult.OVERRIDE_CHANGED;
      }
      while (true) {
        long t = tat;
        long base = Math.max(t, nowNanos);
        if (base - nowNanos > burst - cost) {
          return CellResult.rejected(base);
        }
        long next = base + cost;
        if (TAT.compareAndSet(this, t, next)) {
          return CellResult.applied(next);
        }
      }
    }

    @Override
    public long bucket() {
      return tat;
    }

    void giveBack(long cost) {
      TAT.getAndAdd(this, -cost);
    }

    void clear() {
      head = null;
      tat = FULL_BUCKET;
      override = NO_OVERRIDE;
    }

    private Counter findOrCreate(long period) {
      while (true) {
        Counter c = head;
        if (c != null && c.period == period) {
          return c;
        }
        if (c == null || c.period < period) {
          Counter fresh = new Counter(period, c);
          if (HEAD.compareAndSet(this, c, fresh)) {
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

  /** Padding before a counter's value; see {@link Counter}. */
  @SuppressWarnings("unused")
  private abstract static class PadBefore {
    long p1, p2, p3, p4, p5, p6, p7;
  }

  /** A counter's value, after {@link PadBefore}'s fields. */
  private abstract static class Value extends PadBefore {
    volatile long value;
  }

  /** Padding after a counter's value. */
  @SuppressWarnings("unused")
  private abstract static class PadAfter extends Value {
    long q1, q2, q3, q4, q5, q6, q7;
  }

  /**
   * One counter; its value is changed only by compare-and-set. The value has a cache line to itself
   * (a superclass's fields come first, so the padding is on both sides whatever the field layout):
   * every decision of the tenant writes it, and an object that other threads read on every decision
   * (another tenant's counter, the enforcer's own state) could otherwise share its line.
   */
  private static final class Counter extends PadAfter {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Value.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final long period;
    volatile Counter previous;

    Counter(long period, Counter previous) {
      this.period = period;
      this.previous = previous;
    }

    long tryAdd(long amount, long ceiling) {
      while (true) {
        long v = value;
        if (v > ceiling - amount) {
          return CellResult.rejected(v);
        }
        if (VALUE.compareAndSet(this, v, v + amount)) {
          return CellResult.applied(v + amount);
        }
      }
    }

    long subtract(long amount) {
      while (true) {
        long v = value;
        long next = Math.max(0, v - amount);
        if (VALUE.compareAndSet(this, v, next)) {
          return CellResult.applied(next);
        }
      }
    }
  }
}
