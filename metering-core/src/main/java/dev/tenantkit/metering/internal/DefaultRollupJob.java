package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RollupJob;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.RollupRun;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jobs.JobLease;
import dev.tenantkit.tenancy.jobs.JobRun;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RollupJob} of {@code Metering}. Per tenant it walks from the tenant's rolled-up mark
 * to the horizon one UTC day at a time: it aggregates the raw events of the stretch into hourly
 * rows, derives the day's row from all its hours once the day is complete, and writes the rows
 * together with the new mark in one transaction. Days without events are skipped by asking the
 * store for the next event. Thread-safe: concurrent calls in one process run one at a time, across
 * processes the {@link JobLease} {@value #LEASE} of the store's job leases does the same: taken
 * once per run and renewed before each tenant, the run stops at the first renewal that fails.
 */
final class DefaultRollupJob implements RollupJob {
  static final String LEASE = "usage-rollup";
  private static final Logger LOG = LoggerFactory.getLogger(DefaultRollupJob.class);
  private static final Duration LEASE_TTL = Duration.ofMinutes(10);
  private static final int EXCLUSIVE_WAIT_SECONDS = 30;

  private final UsageStore store;
  private final MeterCatalog catalog;
  private final InstantSource clock;
  private final LongSupplier nanoTime;
  private final Settings settings;
  private final MeteringMetrics metrics;
  private final String owner;
  private final JobLease lease;
  private final JobLease exclusiveLease;
  private final ReentrantLock running = new ReentrantLock();

  /**
   * @param closeAfter how long before now an hour must have ended to be rolled up
   * @param rawRetention how long raw events are kept
   * @param rollupRetention how long rollups are kept
   * @param idempotencyRetention how long idempotency keys are kept
   */
  record Settings(
      Duration closeAfter,
      Duration rawRetention,
      Duration rollupRetention,
      Duration idempotencyRetention) {}

  DefaultRollupJob(
      UsageStore store,
      MeterCatalog catalog,
      InstantSource clock,
      LongSupplier nanoTime,
      Settings settings,
      MeteringMetrics metrics,
      String owner) {
    this.store = store;
    this.catalog = catalog;
    this.clock = clock;
    this.nanoTime = nanoTime;
    this.settings = settings;
    this.metrics = metrics;
    this.owner = owner;
    this.lease = JobLease.of(store.jobLeases(), LEASE, owner, LEASE_TTL, clock);
    this.exclusiveLease =
        JobLease.of(store.jobLeases(), LEASE, owner + "-exclusive", LEASE_TTL, clock);
  }

  @Override
  public RollupReport run() {
    Instant started = clock.instant();
    long t0 = nanoTime.getAsLong();
    if (!running.tryLock()) {
      return new RollupReport(started, Duration.ZERO, false, 0, 0, 0, 0, 0, 0);
    }
    try {
      if (!lease.tryAcquire()) {
        return new RollupReport(started, Duration.ZERO, false, 0, 0, 0, 0, 0, 0);
      }
      Counts counts = new Counts();
      try {
        Instant horizon = Times.floorHour(started.minus(settings.closeAfter()));
        Instant rawCutoff = Times.floorHour(started.minus(settings.rawRetention()));
        Instant rollupCutoff = Times.floorDay(started.minus(settings.rollupRetention()));
        Instant keyCutoff = started.minus(settings.idempotencyRetention());
        for (TenantMarks marks : store.tenants()) {
          // Renew, not acquire: a lease that expired and passed through another instance since
          // must stop this run rather than be taken back unnoticed.
          if (!lease.tryRenew()) {
            LOG.warn(
                "usage rollup lost its lease {} after {} tenants; stopping, another instance"
                    + " carries on",
                LEASE,
                counts.tenants);
            break;
          }
          counts.tenants++;
          rollUp(marks, horizon, counts);
          TenantMarks after = store.marks(marks.tenantId());
          if (after.rolledUpTo() != null) {
            Instant cut = Times.min(rawCutoff, after.rolledUpTo());
            if (after.rawEventsFrom() == null || cut.isAfter(after.rawEventsFrom())) {
              counts.rawDeleted += store.deleteEvents(marks.tenantId(), cut);
            }
          }
          counts.rollupsDeleted += store.deleteRollups(marks.tenantId(), rollupCutoff);
          counts.keysPruned += store.deleteKeys(marks.tenantId(), keyCutoff);
        }
      } finally {
        Duration took = Duration.ofNanos(nanoTime.getAsLong() - t0);
        metrics.rollup(took);
        lease.release(new JobRun(started, took, owner));
        counts.took = took;
      }
      return new RollupReport(
          started,
          counts.took,
          true,
          counts.tenants,
          counts.hours,
          counts.days,
          counts.rawDeleted,
          counts.rollupsDeleted,
          counts.keysPruned);
    } finally {
      running.unlock();
    }
  }

  /**
   * Runs {@code task} holding the job's lease under an owner of its own, so that no run of the job,
   * on any instance, is under way meanwhile. A purge needs this: a run that read a tenant's events
   * before the purge could write their rollups after it, into a tenant created again under the same
   * id. Waits for a run in progress, polling, at most about {@value #EXCLUSIVE_WAIT_SECONDS}
   * seconds.
   *
   * @throws IllegalStateException if a run still holds the lease then (the caller may retry)
   */
  void exclusively(Runnable task) {
    for (int attempt = 0; ; attempt++) {
      if (exclusiveLease.tryAcquire()) {
        break;
      }
      if (attempt >= EXCLUSIVE_WAIT_SECONDS * 10) {
        throw new IllegalStateException(
            "the usage rollup job is running and holds its lease; retry when it has finished");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the usage rollup job", e);
      }
    }
    try {
      task.run();
    } finally {
      exclusiveLease.release();
    }
  }

  @Override
  public Optional<RollupRun> lastRun() {
    return lease.lastRun().map(r -> new RollupRun(r.startedAt(), r.duration(), r.owner()));
  }

  private void rollUp(TenantMarks marks, Instant horizon, Counts counts) {
    TenantId tenant = marks.tenantId();
    Instant cursor = marks.rolledUpTo();
    if (cursor == null) {
      Optional<Instant> first = store.firstEventAt(tenant, Instant.EPOCH);
      if (first.isEmpty()) {
        return;
      }
      cursor = Times.floorHour(first.get());
    }
    while (cursor.isBefore(horizon)) {
      Instant dayStart = Times.floorDay(cursor);
      Instant dayEnd = dayStart.plus(Times.DAY);
      Instant chunkEnd = Times.min(dayEnd, horizon);
      Map<RowKey, Aggregate> hours = aggregateRaw(tenant, cursor, chunkEnd);
      List<Rollup> rows = new ArrayList<>(hours.size());
      hours.forEach((k, a) -> rows.add(k.toRollup(tenant, Granularity.HOUR, a)));
      if (chunkEnd.equals(dayEnd)) {
        Map<RowKey, Aggregate> day = new HashMap<>();
        if (dayStart.isBefore(cursor)) {
          for (Rollup r : store.rollups(tenant, null, Granularity.HOUR, dayStart, cursor, null)) {
            RowKey k = new RowKey(r.meter(), dayStart, r.dimension(), r.dimensionValue());
            day.computeIfAbsent(k, x -> Aggregate.forMeter(definition(r.meter()))).merge(r);
          }
        }
        hours.forEach(
            (k, a) ->
                day.computeIfAbsent(
                        new RowKey(k.meter(), dayStart, k.dimension(), k.value()),
                        x -> Aggregate.forMeter(definition(k.meter())))
                    .merge(a));
        day.forEach((k, a) -> rows.add(k.toRollup(tenant, Granularity.DAY, a)));
        counts.days += day.size();
      }
      store.writeRollups(tenant, rows, chunkEnd);
      counts.hours += hours.size();
      cursor = chunkEnd;
      if (hours.isEmpty() && cursor.isBefore(horizon)) {
        Optional<Instant> next = store.firstEventAt(tenant, cursor);
        if (next.isEmpty() || !next.get().isBefore(horizon)) {
          store.writeRollups(tenant, List.of(), horizon);
          return;
        }
        // Nothing between here and the next event's day: its days need no rows.
        cursor = Times.max(cursor, Times.floorDay(next.get()));
      }
    }
  }

  private Map<RowKey, Aggregate> aggregateRaw(TenantId tenant, Instant from, Instant to) {
    Map<RowKey, Aggregate> rows = new HashMap<>();
    store.scan(
        tenant,
        null,
        from,
        to,
        e -> {
          UsageEvent ev = e.event();
          MeterDefinition m = definition(ev.meter());
          Instant hour = Times.floorHour(ev.timestamp());
          rows.computeIfAbsent(new RowKey(ev.meter(), hour, "", ""), k -> Aggregate.forMeter(m))
              .add(e);
          if (m != null) {
            for (String d : m.dimensions()) {
              rows.computeIfAbsent(
                      new RowKey(ev.meter(), hour, d, ev.dimensions().getOrDefault(d, "")),
                      k -> Aggregate.forMeter(m))
                  .add(e);
            }
          }
        });
    return rows;
  }

  private MeterDefinition definition(String meter) {
    return catalog.find(meter).orElse(null);
  }

  private record RowKey(String meter, Instant bucket, String dimension, String value) {
    Rollup toRollup(TenantId tenant, Granularity g, Aggregate a) {
      return a.toRollup(tenant, meter, g, bucket, dimension, value);
    }
  }

  private static final class Counts {
    int tenants;
    long hours;
    long days;
    long rawDeleted;
    long rollupsDeleted;
    long keysPruned;
    Duration took;
  }
}
