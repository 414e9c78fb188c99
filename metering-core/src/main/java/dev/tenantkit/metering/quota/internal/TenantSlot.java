package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * What an enforcer keeps per tenant so a decision needs one lookup by tenant: the tenant's store
 * cells and allowance leases by limit index, and its plan's rules. Thread-safe: cells and leases
 * are created at most once in effect (a store returns cells that share state, and a lease lost to a
 * race was never used), and the plan is one immutable pair swapped as a whole.
 */
final class TenantSlot {
  private final TenantId tenant;
  private final QuotaCell[] cells;
  private final AtomicReferenceArray<AllowanceLease> leases;
  private final AtomicReferenceArray<Counter[]> counters;
  private volatile PlanRules plan;

  /** A plan id with its rules; the id is compared by identity, the usual case being one string. */
  private record PlanRules(String id, Rule[] rules) {}

  /**
   * A slot with the tenant's cell of every limit of {@code table}, taken from {@code store}, and
   * room for the tenant's decision counters if {@code perTenantMetrics}.
   */
  TenantSlot(TenantId tenant, LimitTable table, QuotaStore store, boolean perTenantMetrics) {
    this.tenant = tenant;
    this.cells = new QuotaCell[table.size()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = store.cell(tenant, table.limit(i).name());
    }
    this.leases = new AtomicReferenceArray<>(cells.length);
    this.counters = perTenantMetrics ? new AtomicReferenceArray<>(cells.length) : null;
  }

  /** The tenant of this slot. */
  TenantId tenant() {
    return tenant;
  }

  /**
   * The tenant's decision counters by limit index, filled by {@link DecisionMetrics}; null when
   * counters are not per tenant.
   */
  AtomicReferenceArray<Counter[]> counters() {
    return counters;
  }

  /**
   * The rules of the tenant's plan, looked up again only when {@code planOf} answers with another
   * string than last time.
   *
   * @throws UnknownPlanException if the catalog has no such plan
   */
  Rule[] rules(Function<TenantId, String> planOf, LimitTable table) {
    String id = planOf.apply(tenant);
    PlanRules p = plan;
    if (p != null && p.id == id) {
      return p.rules;
    }
    Rule[] rules = id == null ? null : table.plan(id);
    if (rules == null) {
      throw new UnknownPlanException(tenant, id);
    }
    plan = new PlanRules(id, rules);
    return rules;
  }

  /** The store's cell of limit {@code index}. */
  QuotaCell cell(int index) {
    return cells[index];
  }

  /** The allowance lease of limit {@code index}. */
  AllowanceLease lease(int index) {
    AllowanceLease l = leases.get(index);
    if (l == null) {
      leases.compareAndSet(index, null, new AllowanceLease());
      l = leases.get(index);
    }
    return l;
  }

  /** The lease of limit {@code index} if one was made, else null. */
  AllowanceLease leaseIfAny(int index) {
    return leases.get(index);
  }
}
