package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.QuotaAdmin;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantkitException;
import java.time.InstantSource;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The decisions of {@link QuotaEnforcer}: checks the input, finds the tenant's slot and rules,
 * hands the decision to {@link CounterDecisions}, {@link BucketDecisions} or {@link
 * BatchDecisions}, and turns a failing store into the failure mode's decision. Thread-safe.
 *
 * <p>The single-limit path ({@link #tryConsume}) does one lookup by limit name and one by tenant
 * (the tenant's {@link TenantSlot} holds its cells and its plan's rules), reads the clock once and
 * allocates only the decision, given a store whose cells allocate nothing.
 */
final class DefaultQuotaEnforcer implements QuotaEnforcer {
  private final Function<TenantId, String> planOf;
  private final InstantSource clock;
  private final LimitTable table;
  private final DecisionMetrics metrics;
  private final TenantSlots slots;
  private final StoreHealth health;
  private final CounterDecisions counters;
  private final BatchDecisions batches;
  private final DefaultQuotaAdmin admin;

  DefaultQuotaEnforcer(
      Function<TenantId, String> planOf,
      InstantSource clock,
      LimitTable table,
      DecisionMetrics metrics,
      TenantSlots slots,
      StoreHealth health,
      CounterDecisions counters,
      BatchDecisions batches,
      DefaultQuotaAdmin admin) {
    this.planOf = planOf;
    this.clock = clock;
    this.table = table;
    this.metrics = metrics;
    this.slots = slots;
    this.health = health;
    this.counters = counters;
    this.batches = batches;
    this.admin = admin;
  }

  @Override
  public QuotaDecision check(TenantId tenant, String limit, long amount) {
    Limit l = table.require(tenant, limit, amount);
    return decide(slots.slot(tenant), l, amount, false);
  }

  @Override
  public QuotaDecision tryConsume(TenantId tenant, String limit, long amount) {
    Limit l = table.require(tenant, limit, amount);
    TenantSlot slot = slots.slot(tenant);
    QuotaDecision d = decide(slot, l, amount, true);
    metrics.record(slot, l, d.allowed());
    return d;
  }

  private QuotaDecision decide(TenantSlot slot, Limit limit, long amount, boolean consume) {
    Rule rule;
    try {
      rule = slot.rules(planOf, table)[limit.index()];
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      return health.unavailable(limit.name(), limit.kind(), 0, e);
    }
    long now = clock.millis();
    QuotaDecision d;
    try {
      d =
          rule.kind == LimitKind.RATE
              ? BucketDecisions.decide(slot.cell(limit.index()), rule, amount, now, consume)
              : counters.decide(slot, limit, slot.cell(limit.index()), rule, amount, now, consume);
    } catch (RuntimeException e) {
      return health.unavailable(limit.name(), limit.kind(), rule.planLimit, e);
    }
    health.answered();
    return d;
  }

  @Override
  public QuotaDecision tryConsumeAll(TenantId tenant, Map<String, Long> amounts) {
    LimitTable.requireTenant(tenant);
    if (amounts == null || amounts.isEmpty()) {
      throw new InvalidInputException("amounts", "name at least one limit");
    }
    TreeMap<String, Long> sorted = new TreeMap<>();
    for (Map.Entry<String, Long> e : amounts.entrySet()) {
      if (e.getValue() == null) {
        throw new InvalidInputException("amount", "the amount of '" + e.getKey() + "' is missing");
      }
      table.require(tenant, e.getKey(), e.getValue());
      sorted.put(e.getKey(), e.getValue());
    }
    Limit first = table.find(sorted.firstKey());
    TenantSlot slot = slots.slot(tenant);
    Rule[] rules;
    QuotaDecision d;
    try {
      rules = slot.rules(planOf, table);
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      d = health.unavailable(first.name(), first.kind(), 0, e);
      metrics.record(slot, first, d.allowed());
      return d;
    }
    try {
      d = batches.consumeAll(tenant, slot, rules, amounts, sorted, clock.millis());
      health.answered();
    } catch (RuntimeException e) {
      d = health.unavailable(first.name(), first.kind(), rules[first.index()].planLimit, e);
    }
    metrics.record(slot, table.find(d.limitName()), d.allowed());
    return d;
  }

  @Override
  public void release(TenantId tenant, String gaugeLimit, long amount) {
    Limit limit = table.require(tenant, gaugeLimit, amount);
    if (limit.kind() != LimitKind.GAUGE) {
      throw new InvalidInputException(
          "limit",
          "'" + gaugeLimit + "' is " + limit.kind() + ", and only a gauge can be released");
    }
    try {
      slots.slot(tenant).cell(limit.index()).subtract(0, amount);
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("release " + gaugeLimit + " for tenant " + tenant, e);
    }
  }

  @Override
  public QuotaAdmin admin() {
    return admin;
  }
}
