package dev.tenantkit.metering.testkit;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.spi.AppendResult;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLeases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A store wrapper that counts append transactions, can hold the first append until released, and
 * can be told to fail appends.
 */
public final class GatedStore implements UsageStore {
  private final UsageStore delegate;
  private final AtomicInteger appends = new AtomicInteger();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release;
  private volatile boolean failing;

  private GatedStore(UsageStore delegate, boolean gated) {
    this.delegate = delegate;
    this.release = new CountDownLatch(gated ? 1 : 0);
  }

  /** Counts appends, never holds them. */
  public static GatedStore counting(UsageStore delegate) {
    return new GatedStore(delegate, false);
  }

  /** Holds the first append until {@link #release()}. */
  public static GatedStore gated(UsageStore delegate) {
    return new GatedStore(delegate, true);
  }

  /** How many append transactions ran. */
  public int appends() {
    return appends.get();
  }

  /** Waits until the first append is being held. */
  public void awaitEntered() throws InterruptedException {
    entered.await();
  }

  /** Lets the held append go on. */
  public void release() {
    release.countDown();
  }

  /** Makes appends throw (or work again). */
  public void failing(boolean failing) {
    this.failing = failing;
  }

  @Override
  public List<AppendResult> append(List<NewEvent> events) {
    if (failing) {
      throw new IllegalStateException("store down");
    }
    appends.incrementAndGet();
    entered.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return delegate.append(events);
  }

  @Override
  public void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {
    delegate.scan(tenantId, meter, from, to, sink);
  }

  @Override
  public Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    return delegate.firstEventAt(tenantId, notBefore);
  }

  @Override
  public List<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    return delegate.events(tenantId, filter, beforeId, limit);
  }

  @Override
  public TenantMarks marks(TenantId tenantId) {
    return delegate.marks(tenantId);
  }

  @Override
  public List<TenantMarks> tenants() {
    return delegate.tenants();
  }

  @Override
  public List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    return delegate.rollups(tenantId, meter, granularity, from, to, dimension);
  }

  @Override
  public void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {
    delegate.writeRollups(tenantId, rows, rolledUpTo);
  }

  @Override
  public long deleteEvents(TenantId tenantId, Instant before) {
    return delegate.deleteEvents(tenantId, before);
  }

  @Override
  public long deleteRollups(TenantId tenantId, Instant before) {
    return delegate.deleteRollups(tenantId, before);
  }

  @Override
  public long deleteKeys(TenantId tenantId, Instant recordedBefore) {
    return delegate.deleteKeys(tenantId, recordedBefore);
  }

  @Override
  public void purge(TenantId tenantId) {
    delegate.purge(tenantId);
  }

  @Override
  public JobLeases jobLeases() {
    return delegate.jobLeases();
  }
}
