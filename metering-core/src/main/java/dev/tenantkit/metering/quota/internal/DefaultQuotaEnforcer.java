package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaDecision.Reason;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.QuotaListener;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.QuotaThresholdEvent;
import dev.tenantkit.metering.quota.QuotaUnavailableException;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantkitException;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quota algorithm over a {@link QuotaStore}'s primitives: plan and override lookup, calendar
 * periods, GCRA token buckets, thresholds, failure modes and metrics. Thread-safe and stateless
 * apart from caches of the current period.
 *
 * <p>The single-limit path ({@link #tryConsume}) allocates only the decision, given a store whose
 * primitives allocate nothing: amounts, times and bucket state stay primitive {@code long}s.
 */
public final class DefaultQuotaEnforcer implements QuotaEnforcer {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultQuotaEnforcer.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long UNLIMITED = LimitSpec.UNLIMITED;
  private static final long MAX_BURST = 1L << 62;
  private static final long NONE = QuotaDecision.NONE;

  private final PlanCatalog catalog;
  private final QuotaStore store;
  private final Function<TenantId, String> planOf;
  private final InstantSource clock;
  private final FailureMode failureMode;
  private final List<QuotaListener> listeners;
  private final DecisionMetrics metrics;
  private final Map<String, LimitKind> kinds;
  private final int[] thresholds;
  private final Periods periods;
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final AllowanceLeases leases;

  /** Use {@link dev.tenantkit.metering.quota.Quotas#builder()}. */
  public DefaultQuotaEnforcer(
      PlanCatalog catalog,
      QuotaStore store,
      Function<TenantId, String> planOf,
      InstantSource clock,
      FailureMode failureMode,
      List<QuotaListener> listeners,
      MeterRegistry meterRegistry,
      long leaseBlock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.store = Objects.requireNonNull(store, "store");
    this.planOf = Objects.requireNonNull(planOf, "planOf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
    this.listeners = List.copyOf(listeners);
    this.metrics = new DecisionMetrics(meterRegistry);
    Map<String, LimitKind> k = new LinkedHashMap<>();
    for (Plan p : catalog.plans().values()) {
      p.limits().forEach((name, spec) -> k.put(name, spec.kind()));
    }
    this.kinds = Map.copyOf(k);
    this.thresholds = catalog.thresholds().stream().mapToInt(Integer::intValue).toArray();
    this.periods = new Periods(catalog.zone());
    this.leases = leaseBlock > 1 ? new AllowanceLeases(leaseBlock) : null;
  }

  @Override
  public PlanCatalog catalog() {
    return catalog;
  }

  // ---- decisions on one limit

  @Override
  public QuotaDecision check(TenantId tenant, String limit, long amount) {
    LimitKind kind = validate(tenant, limit, amount);
    return decide(tenant, limit, kind, amount, false);
  }

  @Override
  public QuotaDecision tryConsume(TenantId tenant, String limit, long amount) {
    LimitKind kind = validate(tenant, limit, amount);
    QuotaDecision d = decide(tenant, limit, kind, amount, true);
    metrics.record(limit, d.allowed());
    return d;
  }

  private QuotaDecision decide(
      TenantId tenant, String limit, LimitKind kind, long amount, boolean consume) {
    LimitSpec spec;
    try {
      spec = plan(tenant).limits().get(limit);
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      return unavailable(limit, kind, 0, e);
    }
    long now = clock.millis();
    QuotaDecision d;
    try {
      long override = store.override(tenant, limit);
      d =
          kind == LimitKind.RATE
              ? bucket(tenant, limit, spec, override, amount, now, consume)
              : counter(tenant, limit, spec, override, amount, now, consume);
    } catch (RuntimeException e) {
      return unavailable(limit, kind, spec.limit(), e);
    }
    storeAnswered();
    return d;
  }

  private QuotaDecision counter(
      TenantId tenant,
      String limit,
      LimitSpec spec,
      long override,
      long amount,
      long now,
      boolean consume) {
    long effective = override >= 0 ? override : spec.limit();
    long period;
    long resetAt;
    if (spec.kind() == LimitKind.ALLOWANCE) {
      Periods.Window w = periods.window(spec.period(), now);
      period = w.start;
      resetAt = w.end;
    } else {
      period = 0;
      resetAt = NONE;
    }
    boolean unlimited = effective == UNLIMITED;
    boolean enforced = spec.hardLimit() && !unlimited;
    boolean leased = leases != null && spec.kind() == LimitKind.ALLOWANCE;
    if (!consume) {
      long used = store.counter(tenant, limit, period);
      if (leased) {
        used -= leases.unspent(tenant, limit, period);
      }
      boolean fits = amount <= effective - used;
      if (enforced && !fits) {
        return counterDenial(limit, spec, effective, amount, used, resetAt, now);
      }
      return QuotaDecision.of(
          true,
          fits ? Reason.WITHIN_LIMIT : Reason.SOFT_LIMIT_EXCEEDED,
          limit,
          spec.kind(),
          effective,
          unlimited ? UNLIMITED : Math.max(0, effective - used),
          unlimited ? NONE : resetAt,
          NONE);
    }
    long ceiling = enforced ? effective : Long.MAX_VALUE;
    if (leased) {
      return leasedAllowance(tenant, limit, spec, effective, amount, ceiling, period, resetAt, now);
    }
    long r = store.tryAdd(tenant, limit, period, amount, ceiling);
    if (QuotaStore.isRejected(r)) {
      return counterDenial(limit, spec, effective, amount, QuotaStore.current(r), resetAt, now);
    }
    if (!unlimited && amount > 0) {
      thresholds(tenant, limit, spec, effective, r - amount, r, period, now);
    }
    return counterAllowed(limit, spec, effective, r, resetAt);
  }

  private QuotaDecision leasedAllowance(
      TenantId tenant,
      String limit,
      LimitSpec spec,
      long effective,
      long amount,
      long ceiling,
      long period,
      long resetAt,
      long now) {
    AllowanceLeases.Taken t = leases.tryAdd(store, tenant, limit, period, amount, ceiling);
    if (QuotaStore.isRejected(t.result())) {
      return counterDenial(
          limit, spec, effective, amount, QuotaStore.current(t.result()), resetAt, now);
    }
    // Thresholds are reached when the block that reaches them is leased, up to a block early.
    if (effective != UNLIMITED && t.leasedFrom() >= 0) {
      thresholds(tenant, limit, spec, effective, t.leasedFrom(), t.leasedTo(), period, now);
    }
    return counterAllowed(limit, spec, effective, t.result(), resetAt);
  }

  private static QuotaDecision counterAllowed(
      String limit, LimitSpec spec, long effective, long used, long resetAt) {
    boolean unlimited = effective == UNLIMITED;
    return QuotaDecision.of(
        true,
        !unlimited && used > effective ? Reason.SOFT_LIMIT_EXCEEDED : Reason.WITHIN_LIMIT,
        limit,
        spec.kind(),
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? NONE : resetAt,
        NONE);
  }

  private static QuotaDecision counterDenial(
      String limit,
      LimitSpec spec,
      long effective,
      long amount,
      long used,
      long resetAt,
      long now) {
    // Waiting helps an allowance only if the amount fits a fresh period; a gauge needs a release.
    long retryAfter =
        spec.kind() == LimitKind.ALLOWANCE && amount <= effective
            ? (resetAt - now) * NANOS_PER_MILLI
            : NONE;
    return QuotaDecision.of(
        false,
        Reason.LIMIT_EXCEEDED,
        limit,
        spec.kind(),
        effective,
        Math.max(0, effective - used),
        resetAt,
        retryAfter);
  }

  private QuotaDecision bucket(
      TenantId tenant,
      String limit,
      LimitSpec spec,
      long override,
      long amount,
      long now,
      boolean consume) {
    long capacity = override >= 0 ? override : spec.limit();
    if (capacity == UNLIMITED) {
      return QuotaDecision.of(
          true, Reason.WITHIN_LIMIT, limit, LimitKind.RATE, UNLIMITED, UNLIMITED, NONE, NONE);
    }
    long interval = interval(spec, override);
    long burst = burst(capacity, interval);
    long nowNanos = now * NANOS_PER_MILLI;
    if (amount > burst / interval) {
      // More than the bucket holds: no wait helps, and the cost would not fit a long.
      long tat = store.bucket(tenant, limit);
      return bucketDenial(limit, spec, capacity, interval, burst, tat, nowNanos, NONE);
    }
    long cost = amount * interval;
    if (!consume) {
      long tat = store.bucket(tenant, limit);
      long base = Math.max(tat, nowNanos);
      if (base - nowNanos > burst - cost) {
        return bucketDenial(
            limit, spec, capacity, interval, burst, tat, nowNanos, base + cost - burst - nowNanos);
      }
      return bucketAllowed(limit, capacity, interval, burst, base, nowNanos, Reason.WITHIN_LIMIT);
    }
    long r = store.tryTake(tenant, limit, nowNanos, cost, burst);
    if (QuotaStore.isRejected(r)) {
      long tat = QuotaStore.current(r);
      long base = Math.max(tat, nowNanos);
      return bucketDenial(
          limit, spec, capacity, interval, burst, tat, nowNanos, base + cost - burst - nowNanos);
    }
    return bucketAllowed(limit, capacity, interval, burst, r, nowNanos, Reason.WITHIN_LIMIT);
  }

  private static QuotaDecision bucketAllowed(
      String limit,
      long capacity,
      long interval,
      long burst,
      long tat,
      long nowNanos,
      Reason reason) {
    long base = Math.max(tat, nowNanos);
    return QuotaDecision.of(
        true,
        reason,
        limit,
        LimitKind.RATE,
        capacity,
        tokens(capacity, interval, burst, base, nowNanos),
        ceilMillis(base),
        NONE);
  }

  private static QuotaDecision bucketDenial(
      String limit,
      LimitSpec spec,
      long capacity,
      long interval,
      long burst,
      long tat,
      long nowNanos,
      long retryAfterNanos) {
    long base = Math.max(tat, nowNanos);
    long remaining = tokens(capacity, interval, burst, base, nowNanos);
    if (spec.soft()) {
      // A soft rate limit lets the request through without taking tokens it does not have.
      return QuotaDecision.of(
          true,
          Reason.SOFT_LIMIT_EXCEEDED,
          limit,
          LimitKind.RATE,
          capacity,
          remaining,
          ceilMillis(base),
          NONE);
    }
    return QuotaDecision.of(
        false,
        Reason.LIMIT_EXCEEDED,
        limit,
        LimitKind.RATE,
        capacity,
        remaining,
        ceilMillis(base),
        retryAfterNanos);
  }

  /** Whole tokens in a bucket whose state is {@code base = max(tat, now)}. */
  private static long tokens(long capacity, long interval, long burst, long base, long nowNanos) {
    long free = burst - (base - nowNanos);
    return free <= 0 ? 0 : Math.min(capacity, free / interval);
  }

  /**
   * Nanoseconds per token. An override changes the capacity and keeps the time the plan's bucket
   * takes to fill from empty, so "120" for a 60-per-minute limit means 120 per minute.
   */
  static long interval(LimitSpec spec, long override) {
    if (override < 0) {
      return spec.tokenIntervalNanos();
    }
    if (override == 0) {
      return 1;
    }
    long fill =
        spec.isUnlimited()
            ? spec.refillPeriod().toNanos()
            : spec.limit() * spec.tokenIntervalNanos();
    return Math.max(1, fill / override + (fill % override == 0 ? 0 : 1));
  }

  /**
   * Capacity in nanoseconds, capped so that bucket arithmetic on epoch nanoseconds never overflows.
   */
  static long burst(long capacity, long interval) {
    return Math.min(capacity, MAX_BURST / interval) * interval;
  }

  private static long ceilMillis(long nanos) {
    long m = nanos / NANOS_PER_MILLI;
    return nanos % NANOS_PER_MILLI > 0 ? m + 1 : m;
  }

  // ---- several limits at once

  @Override
  public QuotaDecision tryConsumeAll(TenantId tenant, Map<String, Long> amounts) {
    requireTenant(tenant);
    if (amounts == null || amounts.isEmpty()) {
      throw new InvalidInputException("amounts", "name at least one limit");
    }
    TreeMap<String, Long> sorted = new TreeMap<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      if (e.getValue() == null) {
        throw new InvalidInputException("amount", "the amount of '" + e.getKey() + "' is missing");
      }
      validate(tenant, e.getKey(), e.getValue());
      sorted.put(e.getKey(), e.getValue());
    }
    String first = sorted.firstKey();
    Plan plan;
    try {
      plan = plan(tenant);
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      QuotaDecision d = unavailable(first, kinds.get(first), 0, e);
      metrics.record(first, d.allowed());
      return d;
    }
    QuotaDecision d;
    try {
      d = consumeAll(tenant, plan, sorted, clock.millis());
      storeAnswered();
    } catch (RuntimeException e) {
      d = unavailable(first, kinds.get(first), plan.limits().get(first).limit(), e);
    }
    metrics.record(d.limitName(), d.allowed());
    return d;
  }

  /** One limit of a batch, with what is needed to turn the store's answer into a decision. */
  private static final class Item {
    final String name;
    final LimitSpec spec;
    final long amount;
    long override;
    long effective;
    long period;
    long resetAt = NONE;
    long interval;
    long burst;
    QuotaDecision decision;

    Item(String name, LimitSpec spec, long amount) {
      this.name = name;
      this.spec = spec;
      this.amount = amount;
    }
  }

  private QuotaDecision consumeAll(
      TenantId tenant, Plan plan, TreeMap<String, Long> amounts, long now) {
    long nowNanos = now * NANOS_PER_MILLI;
    List<Item> items = new ArrayList<>();
    List<Item> batched = new ArrayList<>();
    List<Item> softRates = new ArrayList<>();
    List<QuotaOperation> ops = new ArrayList<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      Item it = new Item(e.getKey(), plan.limits().get(e.getKey()), e.getValue());
      items.add(it);
      it.override = store.override(tenant, it.name);
      it.effective = it.override >= 0 ? it.override : it.spec.limit();
      boolean unlimited = it.effective == UNLIMITED;
      if (it.spec.kind() == LimitKind.RATE) {
        if (unlimited) {
          it.decision = bucket(tenant, it.name, it.spec, it.override, it.amount, now, false);
        } else if (it.spec.soft()) {
          softRates.add(it);
        } else {
          it.interval = interval(it.spec, it.override);
          it.burst = burst(it.effective, it.interval);
          if (it.amount > it.burst / it.interval) {
            return bucket(tenant, it.name, it.spec, it.override, it.amount, now, false);
          }
          ops.add(new QuotaOperation.TryTake(it.name, nowNanos, it.amount * it.interval, it.burst));
          batched.add(it);
        }
      } else {
        if (it.spec.kind() == LimitKind.ALLOWANCE) {
          Periods.Window w = periods.window(it.spec.period(), now);
          it.period = w.start;
          it.resetAt = w.end;
        }
        boolean enforced = it.spec.hardLimit() && !unlimited;
        ops.add(
            new QuotaOperation.TryAdd(
                it.name, it.period, it.amount, enforced ? it.effective : Long.MAX_VALUE));
        batched.add(it);
      }
    }
    long[] results = ops.isEmpty() ? new long[0] : store.tryApplyAll(tenant, ops);
    for (int i = 0; i < results.length; i++) {
      if (QuotaStore.isRejected(results[i])) {
        Item it = batched.get(i);
        long state = QuotaStore.current(results[i]);
        if (it.spec.kind() == LimitKind.RATE) {
          long base = Math.max(state, nowNanos);
          long retry = base + it.amount * it.interval - it.burst - nowNanos;
          return bucketDenial(
              it.name, it.spec, it.effective, it.interval, it.burst, state, nowNanos, retry);
        }
        return counterDenial(it.name, it.spec, it.effective, it.amount, state, it.resetAt, now);
      }
    }
    for (int i = 0; i < results.length; i++) {
      Item it = batched.get(i);
      if (it.spec.kind() == LimitKind.RATE) {
        it.decision =
            bucketAllowed(
                it.name,
                it.effective,
                it.interval,
                it.burst,
                results[i],
                nowNanos,
                Reason.WITHIN_LIMIT);
      } else {
        if (it.effective != UNLIMITED && it.amount > 0) {
          thresholds(
              tenant,
              it.name,
              it.spec,
              it.effective,
              results[i] - it.amount,
              results[i],
              it.period,
              now);
        }
        it.decision = counterAllowed(it.name, it.spec, it.effective, results[i], it.resetAt);
      }
    }
    for (Item it : softRates) {
      it.decision = bucket(tenant, it.name, it.spec, it.override, it.amount, now, true);
    }
    return mostConstrained(items);
  }

  private static QuotaDecision mostConstrained(List<Item> items) {
    QuotaDecision best = null;
    for (Item it : items) {
      QuotaDecision d = it.decision;
      if (d.softWarning()) {
        return d;
      }
      if (best == null || tighter(d, best)) {
        best = d;
      }
    }
    return best;
  }

  /** Whether {@code a} has less left relative to its limit than {@code b}. */
  private static boolean tighter(QuotaDecision a, QuotaDecision b) {
    if (a.unlimited() || b.unlimited()) {
      return !a.unlimited() && b.unlimited();
    }
    if (a.limit() == 0 || b.limit() == 0) {
      return a.limit() == 0 && b.limit() != 0;
    }
    BigInteger left = BigInteger.valueOf(a.remaining()).multiply(BigInteger.valueOf(b.limit()));
    BigInteger right = BigInteger.valueOf(b.remaining()).multiply(BigInteger.valueOf(a.limit()));
    return left.compareTo(right) < 0;
  }

  // ---- thresholds

  private void thresholds(
      TenantId tenant,
      String limit,
      LimitSpec spec,
      long effective,
      long before,
      long after,
      long period,
      long now) {
    for (int t : thresholds) {
      long mark = thresholdAmount(effective, t);
      if (mark <= 0 || before >= mark) {
        continue;
      }
      if (mark > after) {
        return;
      }
      // A gauge has no period; its markers are per calendar month, so a tenant who stays above a
      // threshold hears of it again the next month rather than never.
      long markerPeriod =
          spec.kind() == LimitKind.GAUGE ? periods.window(ResetPeriod.MONTH, now).start : period;
      publish(tenant, limit, spec, effective, t, after, markerPeriod, now);
    }
  }

  private void publish(
      TenantId tenant,
      String limit,
      LimitSpec spec,
      long effective,
      int percent,
      long used,
      long markerPeriod,
      long now) {
    boolean first;
    try {
      first = store.markThreshold(tenant, limit, markerPeriod, percent);
    } catch (RuntimeException e) {
      LOG.warn(
          "could not store the {}% threshold marker of {} for tenant {}; the event is not published",
          percent, limit, tenant, e);
      return;
    }
    if (!first) {
      return;
    }
    QuotaThresholdEvent event =
        new QuotaThresholdEvent(
            tenant,
            limit,
            spec.kind(),
            percent,
            used,
            effective,
            spec.hardLimit(),
            Instant.ofEpochMilli(markerPeriod),
            Instant.ofEpochMilli(now));
    for (QuotaListener l : listeners) {
      try {
        l.onThreshold(event);
      } catch (RuntimeException e) {
        LOG.warn("quota listener {} failed on {}", l, event, e);
      }
    }
  }

  /**
   * The smallest usage that reaches {@code percent} of {@code limit}: ceil(limit * percent / 100).
   */
  static long thresholdAmount(long limit, int percent) {
    try {
      long whole = Math.multiplyExact(limit / 100, percent);
      long part = (limit % 100) * percent;
      return Math.addExact(whole, part / 100 + (part % 100 == 0 ? 0 : 1));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  // ---- gauges, status, overrides

  @Override
  public void release(TenantId tenant, String gaugeLimit, long amount) {
    LimitKind kind = validate(tenant, gaugeLimit, amount);
    if (kind != LimitKind.GAUGE) {
      throw new InvalidInputException(
          "limit", "'" + gaugeLimit + "' is " + kind + ", and only a gauge can be released");
    }
    try {
      store.subtract(tenant, gaugeLimit, 0, amount);
    } catch (RuntimeException e) {
      throw unavailable("release " + gaugeLimit + " for tenant " + tenant, e);
    }
  }

  @Override
  public List<QuotaStatus> status(TenantId tenant) {
    requireTenant(tenant);
    Plan plan;
    try {
      plan = plan(tenant);
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable("read the plan of tenant " + tenant, e);
    }
    long now = clock.millis();
    List<QuotaStatus> out = new ArrayList<>();
    try {
      Map<String, Long> overrides = store.overrides(tenant);
      for (Map.Entry<String, LimitSpec> e : plan.limits().entrySet()) {
        Long o = overrides.get(e.getKey());
        out.add(status(tenant, e.getKey(), e.getValue(), o == null ? -1 : o, now));
      }
    } catch (RuntimeException e) {
      throw unavailable("read the quota status of tenant " + tenant, e);
    }
    return List.copyOf(out);
  }

  private QuotaStatus status(
      TenantId tenant, String name, LimitSpec spec, long override, long now) {
    long effective = override >= 0 ? override : spec.limit();
    boolean unlimited = effective == UNLIMITED;
    long used;
    Instant resetAt = null;
    switch (spec.kind()) {
      case ALLOWANCE:
        Periods.Window w = periods.window(spec.period(), now);
        used = store.counter(tenant, name, w.start);
        if (leases != null) {
          used -= leases.unspent(tenant, name, w.start);
        }
        resetAt = unlimited ? null : Instant.ofEpochMilli(w.end);
        break;
      case GAUGE:
        used = store.counter(tenant, name, 0);
        break;
      default:
        if (unlimited) {
          used = 0;
        } else {
          long interval = interval(spec, override);
          long burst = burst(effective, interval);
          long nowNanos = now * NANOS_PER_MILLI;
          long base = Math.max(store.bucket(tenant, name), nowNanos);
          used = effective - tokens(effective, interval, burst, base, nowNanos);
          resetAt = Instant.ofEpochMilli(ceilMillis(base));
        }
        break;
    }
    List<Integer> crossed = new ArrayList<>();
    if (!unlimited) {
      for (int t : thresholds) {
        long mark = thresholdAmount(effective, t);
        if (mark > 0 && used >= mark) {
          crossed.add(t);
        }
      }
    }
    return new QuotaStatus(
        name,
        spec.kind(),
        used,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? 0 : percent(used, effective),
        resetAt,
        spec.hardLimit(),
        override >= 0,
        crossed);
  }

  private static int percent(long used, long limit) {
    if (limit == 0) {
      return used == 0 ? 0 : Integer.MAX_VALUE;
    }
    BigInteger p =
        BigInteger.valueOf(used)
            .multiply(BigInteger.valueOf(100))
            .divide(BigInteger.valueOf(limit));
    return p.bitLength() < 31 ? p.intValue() : Integer.MAX_VALUE;
  }

  @Override
  public void setOverride(TenantId tenant, String limit, Long amount) {
    validate(tenant, limit, amount == null ? 0 : amount);
    try {
      if (amount == null) {
        store.removeOverride(tenant, limit);
      } else {
        store.putOverride(tenant, limit, amount);
      }
    } catch (RuntimeException e) {
      throw unavailable("change the override of " + limit + " for tenant " + tenant, e);
    }
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    requireTenant(tenant);
    try {
      return Map.copyOf(store.overrides(tenant));
    } catch (RuntimeException e) {
      throw unavailable("read the overrides of tenant " + tenant, e);
    }
  }

  @Override
  public void purge(TenantId tenant) {
    requireTenant(tenant);
    if (leases != null) {
      leases.forget(tenant);
    }
    try {
      store.purge(tenant);
    } catch (RuntimeException e) {
      throw unavailable("purge the quota state of tenant " + tenant, e);
    }
  }

  // ---- helpers

  private Plan plan(TenantId tenant) {
    String id = planOf.apply(tenant);
    Plan plan = id == null ? null : catalog.plans().get(id);
    if (plan == null) {
      throw new UnknownPlanException(tenant, id);
    }
    return plan;
  }

  private LimitKind validate(TenantId tenant, String limit, long amount) {
    requireTenant(tenant);
    LimitKind kind = limit == null ? null : kinds.get(limit);
    if (kind == null) {
      throw new InvalidInputException(
          "limit", "unknown limit '" + limit + "'; the plan catalog has " + kinds.keySet());
    }
    if (amount < 0) {
      throw new InvalidInputException("amount", "must be zero or positive, got " + amount);
    }
    return kind;
  }

  private static void requireTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidInputException("tenant", "is required");
    }
  }

  private QuotaDecision unavailable(String limit, LimitKind kind, long planLimit, Exception e) {
    if (storeDown.compareAndSet(false, true)) {
      LOG.warn(
          "quota store (or plan lookup) unavailable; decisions {} until it answers again",
          failureMode,
          e);
    } else {
      LOG.debug("quota store still unavailable", e);
    }
    boolean allowed = failureMode == FailureMode.FAIL_OPEN;
    return QuotaDecision.of(
        allowed, Reason.STORE_UNAVAILABLE, limit, kind, planLimit, 0, NONE, NONE);
  }

  private QuotaUnavailableException unavailable(String what, RuntimeException e) {
    return new QuotaUnavailableException(
        "could not " + what + ": the quota store is unavailable", e);
  }

  private void storeAnswered() {
    if (storeDown.get() && storeDown.compareAndSet(true, false)) {
      LOG.info("quota store answers again");
    }
  }
}
