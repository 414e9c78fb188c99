package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A plan catalog resolved for lookups: each limit name gets an index, and each plan becomes an
 * array of {@link Rule}s by that index, so a decision finds its rule with one lookup of the limit
 * and one of the plan. Immutable.
 */
final class LimitTable {
  /** A limit of the catalog: its name, its index in every plan's rules, and its kind. */
  record Limit(String name, int index, LimitKind kind) {}

  private final Map<String, Limit> limits = new HashMap<>();
  private final Limit[] byIndex;
  private final Map<String, Rule[]> plans = new HashMap<>();
  private final Set<String> names;

  LimitTable(PlanCatalog catalog, int[] thresholds) {
    for (Plan p : catalog.plans().values()) {
      for (Map.Entry<String, LimitSpec> e : p.limits().entrySet()) {
        limits.computeIfAbsent(e.getKey(), n -> new Limit(n, limits.size(), e.getValue().kind()));
      }
    }
    for (Plan p : catalog.plans().values()) {
      Rule[] rules = new Rule[limits.size()];
      p.limits()
          .forEach(
              (name, spec) -> rules[limits.get(name).index()] = new Rule(name, spec, thresholds));
      plans.put(p.id(), rules);
    }
    this.names = Set.copyOf(new TreeSet<>(limits.keySet()));
    this.byIndex = new Limit[limits.size()];
    limits.values().forEach(l -> byIndex[l.index()] = l);
  }

  /** The limit named {@code name}, or null if the catalog has none. */
  @SuppressWarnings("ReferenceEquality") // identity first, on purpose; equals() follows
  Limit find(String name) {
    // Callers nearly always pass the very string the catalog was built with (a constant such as
    // PlanCatalog.API_CALLS), and a few reference compares cost less than hashing into a map.
    for (Limit l : byIndex) {
      if (l.name() == name) {
        return l;
      }
    }
    return limits.get(name);
  }

  /**
   * The limit named {@code limit}, checked with the rest of a call's input.
   *
   * @throws InvalidInputException if the tenant is missing, the catalog has no such limit, or the
   *     amount is negative
   */
  Limit require(TenantId tenant, String limit, long amount) {
    requireTenant(tenant);
    Limit found = limit == null ? null : find(limit);
    if (found == null) {
      throw new InvalidInputException(
          "limit", "unknown limit '" + limit + "'; the plan catalog has " + names);
    }
    if (amount < 0) {
      throw new InvalidInputException("amount", "must be zero or positive, got " + amount);
    }
    return found;
  }

  /**
   * Checks that a call names a tenant.
   *
   * @throws InvalidInputException if {@code tenant} is null
   */
  static void requireTenant(TenantId tenant) {
    if (tenant == null) {
      throw new InvalidInputException("tenant", "is required");
    }
  }

  /** The limit of index {@code index}. */
  Limit limit(int index) {
    return byIndex[index];
  }

  /** The rules of plan {@code id} by limit index, or null if the catalog has no such plan. */
  Rule[] plan(String id) {
    return plans.get(id);
  }

  /** How many limits the catalog has. */
  int size() {
    return limits.size();
  }

  /** Every limit name, sorted. */
  Set<String> names() {
    return names;
  }
}
