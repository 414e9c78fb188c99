package dev.tenantkit.benchmarks.internal;

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
import dev.tenantkit.tenancy.memory.InMemoryJobLeases;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A {@link UsageStore} that accepts every event and keeps none, counting them: the flusher of a
 * buffered meter drains into it at memory speed, so a benchmark of {@code record} measures the
 * caller's path and never waits for storage. Reads answer "nothing stored". Thread-safe.
 */
public final class DiscardingUsageStore implements UsageStore {
  private final AtomicLong appended = new AtomicLong();
  private final JobLeases leases = InMemoryJobLeases.create();

  /** How many events were appended (and dropped) so far. */
  public long appended() {
    return appended.get();
  }

  @Override
  public List<AppendResult> append(List<NewEvent> events) {
    appended.addAndGet(events.size());
    return Collections.nCopies(events.size(), AppendResult.stored());
  }

  @Override
  public void scan(
      TenantId tenantId, String meter, Instant from, Instant to, Consumer<RecordedEvent> sink) {}

  @Override
  public Optional<Instant> firstEventAt(TenantId tenantId, Instant notBefore) {
    return Optional.empty();
  }

  @Override
  public List<RecordedEvent> events(
      TenantId tenantId, EventFilter filter, long beforeId, int limit) {
    return List.of();
  }

  @Override
  public TenantMarks marks(TenantId tenantId) {
    return TenantMarks.none(tenantId);
  }

  @Override
  public List<TenantMarks> tenants() {
    return List.of();
  }

  @Override
  public List<Rollup> rollups(
      TenantId tenantId,
      String meter,
      Granularity granularity,
      Instant from,
      Instant to,
      String dimension) {
    return List.of();
  }

  @Override
  public void writeRollups(TenantId tenantId, List<Rollup> rows, Instant rolledUpTo) {}

  @Override
  public long deleteEvents(TenantId tenantId, Instant before) {
    return 0;
  }

  @Override
  public long deleteRollups(TenantId tenantId, Instant before) {
    return 0;
  }

  @Override
  public long deleteKeys(TenantId tenantId, Instant recordedBefore) {
    return 0;
  }

  @Override
  public void purge(TenantId tenantId) {}

  @Override
  public JobLeases jobLeases() {
    return leases;
  }
}
