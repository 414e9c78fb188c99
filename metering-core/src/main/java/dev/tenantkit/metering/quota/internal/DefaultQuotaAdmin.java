package dev.tenantkit.metering.quota.internal;

import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaAdmin;
import dev.tenantkit.metering.quota.QuotaStatus;
import dev.tenantkit.metering.quota.UnknownPlanException;
import dev.tenantkit.metering.quota.internal.LimitTable.Limit;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantkitException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@link QuotaAdmin}: the enforcer's administration: status, overrides, purge and the catalog.
 * Unlike decisions, these calls throw {@link
 * dev.tenantkit.metering.quota.QuotaUnavailableException} when the store fails. Thread-safe.
 */
final class DefaultQuotaAdmin implements QuotaAdmin {
  private final PlanCatalog catalog;
  private final QuotaStore store;
  private final Function<TenantId, String> planOf;
  private final InstantSource clock;
  private final LimitTable table;
  private final TenantSlots slots;
  private final StatusReport report;

  DefaultQuotaAdmin(
      PlanCatalog catalog,
      QuotaStore store,
      Function<TenantId, String> planOf,
      InstantSource clock,
      LimitTable table,
      TenantSlots slots,
      StatusReport report) {
    this.catalog = catalog;
    this.store = store;
    this.planOf = planOf;
    this.clock = clock;
    this.table = table;
    this.slots = slots;
    this.report = report;
  }

  @Override
  public List<QuotaStatus> status(TenantId tenant) {
    LimitTable.requireTenant(tenant);
    Plan plan;
    Rule[] rules;
    try {
      plan = plan(tenant);
      rules = table.plan(plan.id());
    } catch (TenantkitException e) {
      throw e;
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("read the plan of tenant " + tenant, e);
    }
    long now = clock.millis();
    TenantSlot slot = slots.slot(tenant);
    List<QuotaStatus> out = new ArrayList<>();
    try {
      Map<String, Long> overrides = store.overrides(tenant);
      for (String name : plan.limits().keySet()) {
        Long o = overrides.get(name);
        Limit limit = table.find(name);
        out.add(report.status(slot, limit, rules[limit.index()], o == null ? -1 : o, now));
      }
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("read the quota status of tenant " + tenant, e);
    }
    return List.copyOf(out);
  }

  @Override
  public void setOverride(TenantId tenant, String limit, Long amount) {
    table.require(tenant, limit, amount == null ? 0 : amount);
    try {
      if (amount == null) {
        store.removeOverride(tenant, limit);
      } else {
        store.putOverride(tenant, limit, amount);
      }
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("change the override of " + limit + " for tenant " + tenant, e);
    }
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    LimitTable.requireTenant(tenant);
    try {
      return Map.copyOf(store.overrides(tenant));
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("read the overrides of tenant " + tenant, e);
    }
  }

  @Override
  public void purge(TenantId tenant) {
    LimitTable.requireTenant(tenant);
    slots.forget(tenant);
    try {
      store.purge(tenant);
    } catch (RuntimeException e) {
      throw StoreHealth.unavailable("purge the quota state of tenant " + tenant, e);
    }
  }

  @Override
  public PlanCatalog catalog() {
    return catalog;
  }

  private Plan plan(TenantId tenant) {
    String id = planOf.apply(tenant);
    Plan plan = id == null ? null : catalog.plans().get(id);
    if (plan == null) {
      throw new UnknownPlanException(tenant, id);
    }
    return plan;
  }
}
