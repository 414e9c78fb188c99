package dev.tenantkit.metering.quota;

import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Map;

/**
 * A store that forwards to another until told it is down, then throws like a lost database. Tests
 * extend it to watch calls.
 */
class UnreliableStore implements QuotaStore {
  private final QuotaStore delegate;
  private volatile boolean down;

  UnreliableStore(QuotaStore delegate) {
    this.delegate = delegate;
  }

  void down(boolean down) {
    this.down = down;
  }

  private void check() {
    if (down) {
      throw new IllegalStateException("connection refused");
    }
  }

  @Override
  public long tryAdd(TenantId tenant, String limit, long periodStart, long amount, long ceiling) {
    check();
    return delegate.tryAdd(tenant, limit, periodStart, amount, ceiling);
  }

  @Override
  public long subtract(TenantId tenant, String limit, long periodStart, long amount) {
    check();
    return delegate.subtract(tenant, limit, periodStart, amount);
  }

  @Override
  public long counter(TenantId tenant, String limit, long periodStart) {
    check();
    return delegate.counter(tenant, limit, periodStart);
  }

  @Override
  public long tryTake(TenantId tenant, String limit, long nowNanos, long cost, long burst) {
    check();
    return delegate.tryTake(tenant, limit, nowNanos, cost, burst);
  }

  @Override
  public long bucket(TenantId tenant, String limit) {
    check();
    return delegate.bucket(tenant, limit);
  }

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    check();
    return delegate.tryApplyAll(tenant, operations);
  }

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    check();
    return delegate.markThreshold(tenant, limit, periodStart, percent);
  }

  @Override
  public long override(TenantId tenant, String limit) {
    check();
    return delegate.override(tenant, limit);
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    check();
    return delegate.overrides(tenant);
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    check();
    delegate.putOverride(tenant, limit, amount);
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    check();
    delegate.removeOverride(tenant, limit);
  }

  @Override
  public void purge(TenantId tenant) {
    check();
    delegate.purge(tenant);
  }
}
