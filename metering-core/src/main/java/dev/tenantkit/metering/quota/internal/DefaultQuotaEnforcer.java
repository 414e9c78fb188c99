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
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import dev.tenantkit.tenancy.TenantkitException;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The quota algorithm over a {@link QuotaStore}'s primitives: plan and override lookup, calendar
 * periods, GCRA token buckets, thresholds, failure modes and metrics. Thread-safe.
 *
 * <p>The single-limit path ({@link #tryConsume}) does one lookup by limit name and one by tenant
 * (the tenant's {@link TenantSlot} holds its cells and its plan's rules), reads the clock once and
 * allocates only the decision, given a store whose cells allocate nothing. The slots are kept for
 * every tenant that asked since start or since its {@link #purge}: a small object per tenant.
 */
public final class DefaultQuotaEnforcer implements QuotaEnforcer {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultQuotaEnforcer.class);
  private static final long NANOS_PER_MILLI = 1_000_000L;
  private static final long UNLIMITED = LimitSpec.UNLIMITED;
  private static final long NONE = QuotaDecision.NONE;
  private static final long CHANGED = QuotaStore.OVERRIDE_CHANGED;

  /**
   * How often one decision retries after the store saw a newer override; more means the store keeps
   * answering {@link QuotaStore#OVERRIDE_CHANGED}, which is treated as the store failing.
   */
  private static final int MAX_ATTEMPTS = 16;

  private final PlanCatalog catalog;
  private final QuotaStore store;
  private final Function<TenantId, String> planOf;
  private final InstantSource clock;
  private final FailureMode failureMode;
  private final List<QuotaListener> listeners;
  private final DecisionMetrics metrics;
  private final LimitTable table;
  private final int[] thresholds;
  private final CalendarWindows periods;
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final long leaseBlock;
  private final ConcurrentHashMap<TenantId, TenantSlot> slots = new ConcurrentHashMap<>();

  /** Use {@link dev.tenantkit.metering.quota.Quotas#builder()}. */
  public DefaultQuotaEnforcer(
      PlanCatalog catalog,
      QuotaStore store,
      Function<TenantId, String> planOf,
      InstantSource clock,
      FailureMode failureMode,
      List<QuotaListener> listeners,
      MeterRegistry meterRegistry,
      TenantTags tenantTags,
      long leaseBlock) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
    this.store = Objects.requireNonNull(store, "store");
    this.planOf = Objects.requireNonNull(planOf, "planOf");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
    this.listeners = List.copyOf(listeners);
    this.thresholds = catalog.thresholds().stream().mapToInt(Integer::intValue).toArray();
    this.table = new LimitTable(catalog, thresholds);
    this.metrics = new DecisionMetrics(meterRegistry, table, tenantTags);
    this.periods = new CalendarWindows(catalog.zone());
    this.leaseBlock = leaseBlock;
  }

  @Override
  public PlanCatalog catalog() {
    return catalog;
  }

  // ---- decisions on one limit

  @Override
  public QuotaDecision check(TenantId tenant, String limit, long amount) {
    Limit l = validate(tenant, limit, amount);
    return decide(slot(tenant), l, amount, false);
  }

  @Override
  public QuotaDecision tryConsume(TenantId tenant, String limit, long amount) {
    Limit l = validate(tenant, limit, amount);
    TenantSlot slot = slot(tenant);
    QuotaDecision d = decide(slot, l, amount, true);
    metrics.record(slot, l, d.allowed());
    return d;
  }

  private QuotaDecision decide(TenantSlot slot, Limit limit, long amount, boolean consume) {
    TenantId tenant = slot.tenant();
    Rule rule;
    try {
      rule = slot.rules(planOf, table)[limit.index()];
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      return unavailable(limit.name(), limit.kind(), 0, e);
    }
    long now = clock.millis();
    QuotaDecision d;
    try {
      QuotaCell cell = slot.cell(limit.index());
      d =
          rule.kind == LimitKind.RATE
              ? bucket(cell, rule, amount, now, consume)
              : counter(tenant, slot, limit, cell, rule, amount, now, consume);
    } catch (RuntimeException e) {
      return unavailable(limit.name(), limit.kind(), rule.planLimit, e);
    }
    storeAnswered();
    return d;
  }

  private QuotaDecision counter(
      TenantId tenant,
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long now,
      boolean consume) {
    long period;
    long resetAt;
    if (rule.kind == LimitKind.ALLOWANCE) {
      CalendarWindows.Window w = periods.window(rule.period, now);
      period = w.start;
      resetAt = w.end;
    } else {
      period = 0;
      resetAt = NONE;
    }
    boolean leased = leaseBlock > 1 && rule.kind == LimitKind.ALLOWANCE;
    if (!consume) {
      return checkCounter(slot, limit, cell, rule, amount, period, resetAt, now, leased);
    }
    for (int attempt = 1; ; attempt++) {
      long override = cell.override();
      QuotaDecision d =
          leased
              ? leased(tenant, slot, limit, cell, rule, amount, period, resetAt, now, override)
              : unleased(tenant, cell, rule, amount, period, resetAt, now, override);
      if (d != null) {
        return d;
      }
      giveUpAfter(attempt, rule);
    }
  }

  /** An allowance or gauge decision taken in the store, or null if it saw a newer override. */
  private QuotaDecision unleased(
      TenantId tenant,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      long override) {
    long effective = rule.effective(override);
    long r = cell.tryAdd(period, amount, rule.ceiling(effective), override);
    return counterOutcome(tenant, rule, effective, amount, r, r - amount, r, period, resetAt, now);
  }

  /**
   * An allowance decision spent from this instance's lease, or null if the store saw a newer
   * override. Apart from {@link #unleased} so that each path stays small enough for the JIT to
   * inline.
   */
  private QuotaDecision leased(
      TenantId tenant,
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      long override) {
    long effective = rule.effective(override);
    AllowanceLease.Taken t =
        slot.lease(limit.index())
            .tryAdd(cell, leaseBlock, period, amount, rule.ceiling(effective), override);
    // Thresholds are reached when the block that reaches them is leased, up to a block early.
    return counterOutcome(
        tenant,
        rule,
        effective,
        amount,
        t.result(),
        t.leasedFrom(),
        t.leasedTo(),
        period,
        resetAt,
        now);
  }

  /**
   * The decision for a counter's conditional add that returned {@code r}, or null if the store saw
   * a newer override; a threshold between {@code before} and {@code after} (the counter before and
   * after the add, {@code before < 0} for none) is published.
   */
  private QuotaDecision counterOutcome(
      TenantId tenant,
      Rule rule,
      long effective,
      long amount,
      long r,
      long before,
      long after,
      long period,
      long resetAt,
      long now) {
    if (r == CHANGED) {
      return null;
    }
    if (QuotaStore.isRejected(r)) {
      return counterDenial(rule, effective, amount, QuotaStore.current(r), resetAt, now);
    }
    if (effective != UNLIMITED && before >= 0 && after > before) {
      thresholds(tenant, rule, effective, before, after, period, now);
    }
    return counterAllowed(rule, effective, r, resetAt);
  }

  /** The decision of a counter without consuming: a cold path, kept apart for the JIT's sake. */
  private QuotaDecision checkCounter(
      TenantSlot slot,
      Limit limit,
      QuotaCell cell,
      Rule rule,
      long amount,
      long period,
      long resetAt,
      long now,
      boolean leased) {
    // counter() first: a cell that caches the override refreshes it there.
    long used = cell.counter(period);
    long effective = rule.effective(cell.override());
    if (leased) {
      used -= unspent(slot, limit, period);
    }
    boolean unlimited = effective == UNLIMITED;
    boolean fits = amount <= effective - used;
    if (rule.hard && !unlimited && !fits) {
      return counterDenial(rule, effective, amount, used, resetAt, now);
    }
    return QuotaDecision.of(
        true,
        fits ? Reason.WITHIN_LIMIT : Reason.SOFT_LIMIT_EXCEEDED,
        rule.name,
        rule.kind,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? NONE : resetAt,
        nextUnitAt(rule, unlimited, resetAt),
        NONE);
  }

  /** An allowance gives more at its next period; a gauge only when something is released. */
  private static long nextUnitAt(Rule rule, boolean unlimited, long resetAt) {
    return unlimited || rule.kind != LimitKind.ALLOWANCE ? NONE : resetAt;
  }

  private long unspent(TenantSlot slot, Limit limit, long period) {
    AllowanceLease l = slot.leaseIfAny(limit.index());
    return l == null ? 0 : l.unspent(period);
  }

  private static void giveUpAfter(int attempt, Rule rule) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new IllegalStateException(
          "the quota store reported a changed override of "
              + rule.name
              + " "
              + attempt
              + " times in a row");
    }
  }

  private static QuotaDecision counterAllowed(Rule rule, long effective, long used, long resetAt) {
    boolean unlimited = effective == UNLIMITED;
    return QuotaDecision.of(
        true,
        !unlimited && used > effective ? Reason.SOFT_LIMIT_EXCEEDED : Reason.WITHIN_LIMIT,
        rule.name,
        rule.kind,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? NONE : resetAt,
        nextUnitAt(rule, unlimited, resetAt),
        NONE);
  }

  private static QuotaDecision counterDenial(
      Rule rule, long effective, long amount, long used, long resetAt, long now) {
    // Waiting helps an allowance only if the amount fits a fresh period; a gauge needs a release.
    long retryAfter =
        rule.kind == LimitKind.ALLOWANCE && amount <= effective
            ? (resetAt - now) * NANOS_PER_MILLI
            : NONE;
    return QuotaDecision.of(
        false,
        Reason.LIMIT_EXCEEDED,
        rule.name,
        rule.kind,
        effective,
        Math.max(0, effective - used),
        resetAt,
        nextUnitAt(rule, false, resetAt),
        retryAfter);
  }

  private QuotaDecision bucket(QuotaCell cell, Rule rule, long amount, long now, boolean consume) {
    long nowNanos = now * NANOS_PER_MILLI;
    for (int attempt = 1; ; attempt++) {
      long override = cell.override();
      if (rule.effective(override) == UNLIMITED) {
        return QuotaDecision.of(
            true,
            Reason.WITHIN_LIMIT,
            rule.name,
            LimitKind.RATE,
            UNLIMITED,
            UNLIMITED,
            NONE,
            NONE,
            NONE);
      }
      Rule.Bucket b = rule.bucket(override);
      long tat;
      long retryAfter;
      if (amount > b.maxAmount() || !consume) {
        tat = cell.bucket();
        if (cell.override() != override) {
          giveUpAfter(attempt, rule);
          continue;
        }
        if (amount > b.maxAmount()) {
          // More than the bucket holds: no wait helps, and the cost would not fit a long.
          return bucketDenial(rule, b, tat, nowNanos, NONE);
        }
        long base = Math.max(tat, nowNanos);
        long cost = amount * b.interval();
        if (base - nowNanos <= b.burst() - cost) {
          return bucketAllowed(rule.name, b, base, nowNanos);
        }
        retryAfter = base + cost - b.burst() - nowNanos;
      } else {
        long cost = amount * b.interval();
        long r = cell.tryTake(nowNanos, cost, b.burst(), override);
        if (r == CHANGED) {
          giveUpAfter(attempt, rule);
          continue;
        }
        if (!QuotaStore.isRejected(r)) {
          return bucketAllowed(rule.name, b, r, nowNanos);
        }
        tat = QuotaStore.current(r);
        retryAfter = Math.max(tat, nowNanos) + cost - b.burst() - nowNanos;
      }
      return bucketDenial(rule, b, tat, nowNanos, retryAfter);
    }
  }

  private static QuotaDecision bucketAllowed(String limit, Rule.Bucket b, long tat, long nowNanos) {
    long base = Math.max(tat, nowNanos);
    return QuotaDecision.of(
        true,
        Reason.WITHIN_LIMIT,
        limit,
        LimitKind.RATE,
        b.capacity(),
        tokens(b, base, nowNanos),
        ceilMillis(base),
        ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
        NONE);
  }

  private static QuotaDecision bucketDenial(
      Rule rule, Rule.Bucket b, long tat, long nowNanos, long retryAfterNanos) {
    long base = Math.max(tat, nowNanos);
    long remaining = tokens(b, base, nowNanos);
    if (rule.spec.soft()) {
      // A soft rate limit lets the request through without taking tokens it does not have.
      return QuotaDecision.of(
          true,
          Reason.SOFT_LIMIT_EXCEEDED,
          rule.name,
          LimitKind.RATE,
          b.capacity(),
          remaining,
          ceilMillis(base),
          ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
          NONE);
    }
    return QuotaDecision.of(
        false,
        Reason.LIMIT_EXCEEDED,
        rule.name,
        LimitKind.RATE,
        b.capacity(),
        remaining,
        ceilMillis(base),
        ceilMillis(nowNanos + untilNextToken(b, base, nowNanos)),
        retryAfterNanos);
  }

  /** Whole tokens in a bucket whose state is {@code base = max(tat, now)}. */
  private static long tokens(Rule.Bucket b, long base, long nowNanos) {
    long free = b.burst() - (base - nowNanos);
    return free <= 0 ? 0 : Math.min(b.capacity(), free / b.interval());
  }

  /**
   * Nanoseconds until a bucket whose state is {@code base = max(tat, now)} holds one whole token
   * more than now, if nothing is taken: within (0, interval]. A full bucket answers one interval,
   * when the first token taken from it is back: until then no more than its capacity can be used.
   */
  private static long untilNextToken(Rule.Bucket b, long base, long nowNanos) {
    long free = b.burst() - (base - nowNanos);
    if (free <= 0) {
      // Owed more than the bucket holds (an override lowered it): the first token once repaid.
      return b.interval() - free;
    }
    return b.interval() - free % b.interval();
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
    Limit first = table.find(sorted.firstKey());
    TenantSlot slot = slot(tenant);
    Rule[] rules;
    QuotaDecision d;
    try {
      rules = slot.rules(planOf, table);
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      d = unavailable(first.name(), first.kind(), 0, e);
      metrics.record(slot, first, d.allowed());
      return d;
    }
    try {
      d = consumeAll(tenant, slot, rules, sorted, clock.millis());
      storeAnswered();
    } catch (RuntimeException e) {
      d = unavailable(first.name(), first.kind(), rules[first.index()].planLimit, e);
    }
    metrics.record(slot, table.find(d.limitName()), d.allowed());
    return d;
  }

  /** One limit of a batch, with what is needed to turn the store's answer into a decision. */
  private static final class Item {
    final Rule rule;
    final QuotaCell cell;
    final long amount;
    long override;
    long effective;
    long period;
    long resetAt = NONE;
    Rule.Bucket bucket;
    QuotaDecision decision;

    Item(Rule rule, QuotaCell cell, long amount) {
      this.rule = rule;
      this.cell = cell;
      this.amount = amount;
    }
  }

  private QuotaDecision consumeAll(
      TenantId tenant, TenantSlot slot, Rule[] rules, TreeMap<String, Long> amounts, long now) {
    long nowNanos = now * NANOS_PER_MILLI;
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      Limit limit = table.find(e.getKey());
      items.add(new Item(rules[limit.index()], slot.cell(limit.index()), e.getValue()));
    }
    for (int attempt = 1; ; attempt++) {
      List<Item> batched = new ArrayList<>();
      List<Item> softRates = new ArrayList<>();
      List<QuotaOperation> ops = new ArrayList<>();
      for (Item it : items) {
        Rule rule = it.rule;
        it.override = it.cell.override();
        it.effective = rule.effective(it.override);
        boolean unlimited = it.effective == UNLIMITED;
        if (rule.kind == LimitKind.RATE) {
          if (unlimited) {
            it.decision = bucket(it.cell, rule, it.amount, now, false);
          } else if (rule.spec.soft()) {
            softRates.add(it);
          } else {
            it.bucket = rule.bucket(it.override);
            if (it.amount > it.bucket.maxAmount()) {
              return bucket(it.cell, rule, it.amount, now, false);
            }
            ops.add(
                new QuotaOperation.TryTake(
                    rule.name,
                    nowNanos,
                    it.amount * it.bucket.interval(),
                    it.bucket.burst(),
                    it.override));
            batched.add(it);
          }
        } else {
          if (rule.kind == LimitKind.ALLOWANCE) {
            CalendarWindows.Window w = periods.window(rule.period, now);
            it.period = w.start;
            it.resetAt = w.end;
          }
          ops.add(
              new QuotaOperation.TryAdd(
                  rule.name, it.period, it.amount, rule.ceiling(it.effective), it.override));
          batched.add(it);
        }
      }
      long[] results = ops.isEmpty() ? new long[0] : store.tryApplyAll(tenant, ops);
      QuotaDecision denial = null;
      boolean changed = false;
      for (int i = 0; i < results.length && denial == null && !changed; i++) {
        if (results[i] == CHANGED) {
          changed = true;
        } else if (QuotaStore.isRejected(results[i])) {
          denial = batchDenial(batched.get(i), QuotaStore.current(results[i]), nowNanos, now);
        }
      }
      if (changed) {
        giveUpAfter(attempt, batched.get(0).rule);
        continue;
      }
      if (denial != null) {
        return denial;
      }
      for (int i = 0; i < results.length; i++) {
        Item it = batched.get(i);
        if (it.rule.kind == LimitKind.RATE) {
          it.decision = bucketAllowed(it.rule.name, it.bucket, results[i], nowNanos);
        } else {
          if (it.effective != UNLIMITED && it.amount > 0) {
            thresholds(
                tenant, it.rule, it.effective, results[i] - it.amount, results[i], it.period, now);
          }
          it.decision = counterAllowed(it.rule, it.effective, results[i], it.resetAt);
        }
      }
      for (Item it : softRates) {
        it.decision = bucket(it.cell, it.rule, it.amount, now, true);
      }
      return mostConstrained(items);
    }
  }

  private static QuotaDecision batchDenial(Item it, long state, long nowNanos, long now) {
    if (it.rule.kind == LimitKind.RATE) {
      long base = Math.max(state, nowNanos);
      long retry = base + it.amount * it.bucket.interval() - it.bucket.burst() - nowNanos;
      return bucketDenial(it.rule, it.bucket, state, nowNanos, retry);
    }
    return counterDenial(it.rule, it.effective, it.amount, state, it.resetAt, now);
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
      TenantId tenant, Rule rule, long effective, long before, long after, long period, long now) {
    for (int i = 0; i < thresholds.length; i++) {
      long mark = rule.mark(effective, thresholds, i);
      if (mark <= 0 || before >= mark) {
        continue;
      }
      if (mark > after) {
        return;
      }
      // A gauge has no period; its markers are per calendar month, so a tenant who stays above a
      // threshold hears of it again the next month rather than never.
      long markerPeriod =
          rule.kind == LimitKind.GAUGE ? periods.window(ResetPeriod.MONTH, now).start : period;
      publish(tenant, rule, effective, thresholds[i], after, markerPeriod, now);
    }
  }

  private void publish(
      TenantId tenant,
      Rule rule,
      long effective,
      int percent,
      long used,
      long markerPeriod,
      long now) {
    String limit = rule.name;
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
            rule.kind,
            percent,
            used,
            effective,
            rule.hard,
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

  // ---- gauges, status, overrides

  @Override
  public void release(TenantId tenant, String gaugeLimit, long amount) {
    Limit limit = validate(tenant, gaugeLimit, amount);
    if (limit.kind() != LimitKind.GAUGE) {
      throw new InvalidInputException(
          "limit",
          "'" + gaugeLimit + "' is " + limit.kind() + ", and only a gauge can be released");
    }
    try {
      slot(tenant).cell(limit.index()).subtract(0, amount);
    } catch (RuntimeException e) {
      throw unavailable("release " + gaugeLimit + " for tenant " + tenant, e);
    }
  }

  @Override
  public List<QuotaStatus> status(TenantId tenant) {
    requireTenant(tenant);
    Plan plan;
    Rule[] rules;
    try {
      plan = plan(tenant);
      rules = table.plan(plan.id());
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      throw unavailable("read the plan of tenant " + tenant, e);
    }
    long now = clock.millis();
    TenantSlot slot = slot(tenant);
    List<QuotaStatus> out = new ArrayList<>();
    try {
      Map<String, Long> overrides = store.overrides(tenant);
      for (String name : plan.limits().keySet()) {
        Long o = overrides.get(name);
        Limit limit = table.find(name);
        out.add(status(slot, limit, rules[limit.index()], o == null ? -1 : o, now));
      }
    } catch (RuntimeException e) {
      throw unavailable("read the quota status of tenant " + tenant, e);
    }
    return List.copyOf(out);
  }

  private QuotaStatus status(TenantSlot slot, Limit limit, Rule rule, long override, long now) {
    QuotaCell cell = slot.cell(limit.index());
    long effective = rule.effective(override);
    boolean unlimited = effective == UNLIMITED;
    long used;
    Instant resetAt = null;
    switch (rule.kind) {
      case ALLOWANCE:
        CalendarWindows.Window w = periods.window(rule.period, now);
        used = cell.counter(w.start) - unspent(slot, limit, w.start);
        resetAt = unlimited ? null : Instant.ofEpochMilli(w.end);
        break;
      case GAUGE:
        used = cell.counter(0);
        break;
      default:
        if (unlimited) {
          used = 0;
        } else {
          long nowNanos = now * NANOS_PER_MILLI;
          long base = Math.max(cell.bucket(), nowNanos);
          used = effective - tokens(rule.bucket(override), base, nowNanos);
          resetAt = Instant.ofEpochMilli(ceilMillis(base));
        }
        break;
    }
    List<Integer> crossed = new ArrayList<>();
    if (!unlimited) {
      for (int i = 0; i < thresholds.length; i++) {
        long mark = rule.mark(effective, thresholds, i);
        if (mark > 0 && used >= mark) {
          crossed.add(thresholds[i]);
        }
      }
    }
    return new QuotaStatus(
        rule.name,
        rule.kind,
        used,
        effective,
        unlimited ? UNLIMITED : Math.max(0, effective - used),
        unlimited ? 0 : percent(used, effective),
        resetAt,
        rule.hard,
        override >= 0,
        crossed);
  }

  private static int percent(long used, long limit) {
    if (limit == 0) {
      // Nothing is left whatever was used, so the limit is fully used; any other figure would be a
      // ratio to zero.
      return 100;
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
    slots.remove(tenant);
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

  private Limit validate(TenantId tenant, String limit, long amount) {
    requireTenant(tenant);
    Limit found = limit == null ? null : table.find(limit);
    if (found == null) {
      throw new InvalidInputException(
          "limit", "unknown limit '" + limit + "'; the plan catalog has " + table.names());
    }
    if (amount < 0) {
      throw new InvalidInputException("amount", "must be zero or positive, got " + amount);
    }
    return found;
  }

  private TenantSlot slot(TenantId tenant) {
    TenantSlot s = slots.get(tenant);
    return s != null
        ? s
        : slots.computeIfAbsent(tenant, t -> new TenantSlot(t, table, store, metrics.perTenant()));
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
        allowed, Reason.STORE_UNAVAILABLE, limit, kind, planLimit, 0, NONE, NONE, NONE);
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
