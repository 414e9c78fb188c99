package dev.tenantkit.billing.plan.memory;

import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link PlanVersionStore} in memory, for tests and single-process use. Thread-safe: {@link
 * #publish} holds a lock on the plan's version list while it compares and appends, so concurrent
 * publishers of one plan never create two versions of the same prices.
 */
public final class InMemoryPlanVersionStore implements PlanVersionStore {
  private final ConcurrentMap<String, List<PlanVersion>> versions = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryPlanVersionStore() {}

  @Override
  public Optional<PlanVersion> latest(String planId) {
    List<PlanVersion> list = versions.get(planId);
    if (list == null) {
      return Optional.empty();
    }
    synchronized (list) {
      return list.isEmpty() ? Optional.empty() : Optional.of(list.get(list.size() - 1));
    }
  }

  @Override
  public Optional<PlanVersion> get(String planId, int version) {
    List<PlanVersion> list = versions.get(planId);
    if (list == null) {
      return Optional.empty();
    }
    synchronized (list) {
      return version >= 1 && version <= list.size()
          ? Optional.of(list.get(version - 1))
          : Optional.empty();
    }
  }

  @Override
  public PlanVersion publish(String planId, PlanPrices prices) {
    // Validate before a list is created for an invalid id.
    PlanVersion first = PlanVersion.of(planId, 1, prices);
    List<PlanVersion> list = versions.computeIfAbsent(planId, k -> new ArrayList<>());
    synchronized (list) {
      if (list.isEmpty()) {
        list.add(first);
        return first;
      }
      PlanVersion latest = list.get(list.size() - 1);
      if (latest.fingerprint().equals(first.fingerprint())) {
        return latest;
      }
      PlanVersion next = new PlanVersion(planId, list.size() + 1, prices, first.fingerprint());
      list.add(next);
      return next;
    }
  }
}
