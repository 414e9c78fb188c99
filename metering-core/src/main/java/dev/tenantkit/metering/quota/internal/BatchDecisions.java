package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.CellResult;
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
 * BucketDecisions}). The decision reports every limit ({@link QuotaDecision#limits()}) from the
 * store's answers to the batch, so a caller that shows them (rate-limit headers) asks nothing more.
 * Thread-safe.
 */
final class BatchDecisions {
  private static final long UNLIMITED = LimitSpec.UNLIMITED;

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
    final Limit limit;
    final Rule rule;
    final QuotaCell cell;
    final long amount;
    long override;
    long effective;
    long period;
    long resetAt;
    Rule.Bucket bucket;
    QuotaDecision decision;

    Item(Limit limit, Rule rule, QuotaCell cell, long amount) {
      this.limit = limit;
      this.rule = rule;
      this.cell = cell;
      this.amount = amount;
    }

    /** What the store's operation for this item costs: tokens' worth in nanoseconds, or units. */
    long cost() {
      return rule.kind == LimitKind.RATE ? amount * bucket.interval() : amount;
    }
  }

  /**
   * Consumes every amount or none, and reports every limit in the order of {@code given}; {@code
   * amounts} are the same sorted by limit name, so that concurrent batches lock rows in one order.
   */
  QuotaDecision consumeAll(
      TenantId tenant,
      TenantSlot slot,
      Rule[] rules,
      Map<String, Long> given,
      TreeMap<String, Long> amounts,
      long now) {
    long nowNanos = now * BucketDecisions.NANOS_PER_MILLI;
    List<Item> items = new ArrayList<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      Limit limit = table.find(e.getKey());
      items.add(new Item(limit, rules[limit.index()], slot.cell(limit.index()), e.getValue()));
    }
    for (int attempt = 1; ; attempt++) {
      List<Item> batched = new ArrayList<>();
      List<Item> softRates = new ArrayList<>();
      List<QuotaOperation> ops = new ArrayList<>();
      for (Item it : items) {
        it.decision = null;
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
              // Denied before the store is asked: the other limits are read as they stand.
              it.decision = BucketDecisions.decide(it.cell, rule, it.amount, now, false);
              return report(it.decision, items, given, slot, now);
            }
            ops.add(
                new QuotaOperation.TryTake(
                    rule.name, nowNanos, it.cost(), it.bucket.burst(), it.override));
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
      int failed = -1;
      for (int i = 0; i < results.length && failed < 0; i++) {
        if (!CellResult.isApplied(results[i])) {
          failed = i;
        }
      }
      if (failed >= 0 && CellResult.isOverrideChanged(results[failed])) {
        batched.get(failed).rule.giveUpAfter(attempt);
        continue;
      }
      if (failed >= 0) {
        for (int i = 0; i < results.length; i++) {
          Item it = batched.get(i);
          it.decision =
              i == failed
                  ? denial(it, CellResult.state(results[i]), nowNanos, now)
                  // Undone before the failing one (the state is what it reached less its cost);
                  // not tried after it (the store answers the state it found).
                  : standing(
                      it,
                      i < failed ? results[i] - it.cost() : CellResult.state(results[i]),
                      nowNanos,
                      now);
        }
        return report(batched.get(failed).decision, items, given, slot, now);
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
      return report(mostConstrained(items), items, given, slot, now);
    }
  }

  private static QuotaDecision denial(Item it, long state, long nowNanos, long now) {
    if (it.rule.kind == LimitKind.RATE) {
      return BucketDecisions.rejected(it.rule, it.bucket, it.cost(), state, nowNanos);
    }
    return CounterDecisions.denial(it.rule, it.effective, it.amount, state, it.resetAt, now);
  }

  /** Where a limit of a denied batch stands, its state being {@code state}: a check of 0. */
  private static QuotaDecision standing(Item it, long state, long nowNanos, long now) {
    if (it.rule.kind == LimitKind.RATE) {
      return BucketDecisions.check(it.rule, it.bucket, state, 0, nowNanos);
    }
    return CounterDecisions.check(it.rule, it.effective, 0, state, it.resetAt, now);
  }

  /**
   * {@code deciding}, reporting every limit in the order of {@code given}. A limit the store did
   * not touch in a denied batch (a soft rate limit, or every limit when an amount was larger than
   * its bucket) is read as it stands.
   */
  private QuotaDecision report(
      QuotaDecision deciding,
      List<Item> items,
      Map<String, Long> given,
      TenantSlot slot,
      long now) {
    List<QuotaDecision> limits = new ArrayList<>(given.size());
    for (String name : given.keySet()) {
      for (Item it : items) {
        if (it.rule.name.equals(name)) {
          if (it.decision == null) {
            it.decision =
                it.rule.kind == LimitKind.RATE
                    ? BucketDecisions.decide(it.cell, it.rule, 0, now, false)
                    : counters.decide(slot, it.limit, it.cell, it.rule, 0, now, false);
          }
          limits.add(it.decision);
          break;
        }
      }
    }
    return Decisions.withLimits(deciding, limits);
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
