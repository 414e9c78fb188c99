package dev.tenantkit.metering.quota.testkit;

import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaOperation;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A quota store that forwards to another until told it is down, then throws from every call like a
 * lost database, including calls on cells handed out before. Counts the counter additions that
 * reach the store, for tests of leasing. Thread-safe.
 */
public final class UnreliableQuotaStore implements QuotaStore {
  private final QuotaStore delegate;
  private final AtomicInteger tryAdds = new AtomicInteger();
  private volatile boolean down;

  /** A store forwarding to {@code delegate}, up. */
  public UnreliableQuotaStore(QuotaStore delegate) {
    this.delegate = delegate;
  }

  /** Makes every later call fail ({@code true}) or forward again ({@code false}). */
  public void down(boolean down) {
    this.down = down;
  }

  /** How many {@link QuotaCell#tryAdd} calls reached the store. */
  public int tryAdds() {
    return tryAdds.get();
  }

  private QuotaStore up() {
    if (down) {
      throw new IllegalStateException("connection refused");
    }
    return delegate;
  }

  @Override
  public QuotaCell cell(TenantId tenant, String limit) {
    QuotaCell cell = delegate.cell(tenant, limit);
    return new QuotaCell() {
      @Override
      public long override() {
        up();
        return cell.override();
      }

      @Override
      public long tryAdd(long periodStart, long amount, long ceiling, long expectedOverride) {
        up();
        tryAdds.incrementAndGet();
        return cell.tryAdd(periodStart, amount, ceiling, expectedOverride);
      }

      @Override
      public long subtract(long periodStart, long amount) {
        up();
        return cell.subtract(periodStart, amount);
      }

      @Override
      public long counter(long periodStart) {
        up();
        return cell.counter(periodStart);
      }

      @Override
      public long tryTake(long nowNanos, long cost, long burst, long expectedOverride) {
        up();
        return cell.tryTake(nowNanos, cost, burst, expectedOverride);
      }

      @Override
      public long bucket() {
        up();
        return cell.bucket();
      }
    };
  }

  @Override
  public long[] tryApplyAll(TenantId tenant, List<QuotaOperation> operations) {
    return up().tryApplyAll(tenant, operations);
  }

  @Override
  public boolean markThreshold(TenantId tenant, String limit, long periodStart, int percent) {
    return up().markThreshold(tenant, limit, periodStart, percent);
  }

  @Override
  public Map<String, Long> overrides(TenantId tenant) {
    return up().overrides(tenant);
  }

  @Override
  public void putOverride(TenantId tenant, String limit, long amount) {
    up().putOverride(tenant, limit, amount);
  }

  @Override
  public void removeOverride(TenantId tenant, String limit) {
    up().removeOverride(tenant, limit);
  }

  @Override
  public void purge(TenantId tenant) {
    up().purge(tenant);
  }
}
