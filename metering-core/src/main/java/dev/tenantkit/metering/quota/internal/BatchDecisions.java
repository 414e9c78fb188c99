package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Several limits consumed all or none, in one {@link QuotaStore#tryApplyAll}: hard limits go to the
 * store together, soft rate limits are taken after them and never deny. Periods, overrides and the
 * decisions of each limit are those of the single-limit path ({@link CounterDecisions}, {@link
 * BucketDecisions}). Thread-safe.
 */
final class BatchDecisions {
  private static final long UNLIMITED = LimitSpec.UNLIMITED;
  private static final long CHANGED = QuotaStore.OVERRIDE_CHANGED;

  private final LimitTable table;
  private final QuotaStore store;
  private final CounterDecisions counters;

  BatchDecisions(LimitTable table, QuotaStore store, CounterDecisions counters) {
    this.table = table;
    this.store = store;
    this.counters = counters;
  }

  /** One limit of a batch, with what is needed to turn the store's answer into a decision. */
  private static final class Item {
    final Rule rule;
    final QuotaCell cell;
    final long amount;
    long override;
    long effective;
    long period;
    long resetAt;
    Rule.Bucket bucket;
    QuotaDecision decision;

    Item(Rule rule, QuotaCell cell, long amount) {
      this.rule = rule;
      this.cell = cell;
      this.amount = amount;
    }
  }

  /**
   * Consumes every amount or none; {@code amounts} are sorted by limit name, so that concurrent
   * batches lock rows in one order.
   */
  QuotaDecision consumeAll(
      TenantId tenant, TenantSlot slot, Rule[] rules, TreeMap<String, Long> amounts, long now) {
    long nowNanos = now * BucketDecisions.NANOS_PER_MILLI;
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
        if (rule.kind == LimitKind.RATE) {
          if (it.effective == UNLIMITED) {
            it.decision = BucketDecisions.unlimited(rule);
          } else if (rule.spec.soft()) {
            softRates.add(it);
          } else {
            it.bucket = rule.bucket(it.override);
            if (it.amount > it.bucket.maxAmount()) {
              return BucketDecisions.decide(it.cell, rule, it.amount, now, false);
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
          CalendarWindows.Window w = counters.window(rule, now);
          it.period = w.start;
          it.resetAt = w.end;
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
          denial = denial(batched.get(i), QuotaStore.current(results[i]), nowNanos, now);
        }
      }
      if (changed) {
        batched.get(0).rule.giveUpAfter(attempt);
        continue;
      }
      if (denial != null) {
        return denial;
      }
      for (int i = 0; i < results.length; i++) {
        Item it = batched.get(i);
        it.decision =
            it.rule.kind == LimitKind.RATE
                ? BucketDecisions.allowed(it.rule.name, it.bucket, results[i], nowNanos)
                : counters.outcome(
                    tenant,
                    it.rule,
                    it.effective,
                    it.amount,
                    results[i],
                    results[i] - it.amount,
                    results[i],
                    it.period,
                    it.resetAt,
                    now);
      }
      for (Item it : softRates) {
        it.decision = BucketDecisions.decide(it.cell, it.rule, it.amount, now, true);
      }
      return mostConstrained(items);
    }
  }

  private static QuotaDecision denial(Item it, long state, long nowNanos, long now) {
    if (it.rule.kind == LimitKind.RATE) {
      long cost = it.amount * it.bucket.interval();
      return BucketDecisions.rejected(it.rule, it.bucket, cost, state, nowNanos);
    }
    return CounterDecisions.denial(it.rule, it.effective, it.amount, state, it.resetAt, now);
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
}
