package dev.tenantkit.metering.internal;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.Durability;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.RollupJob;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Wires the parts of {@code Metering} from its validated settings. Holds the timing rules that tie
 * recording and rollups together.
 */
public final class MeteringSetup {
  /**
   * How much older than {@code maxLateness} an event may be when it reaches the store (it waited in
   * the buffer or for a commit) before it is refused as too late.
   */
  static final Duration SETTLE = Duration.ofMinutes(1);

  /**
   * Extra time the rollup job waits on top of {@code maxLateness + SETTLE + flushInterval}, for
   * commits in flight and clock differences between instances.
   */
  static final Duration ROLLUP_MARGIN = Duration.ofMinutes(4);

  static final int MAX_BATCH = 1_000;

  private final DefaultUsageMeter meter;
  private final DefaultUsageQueries queries;
  private final DefaultRollupJob rollups;
  private final UsageStore store;

  /** Every setting of {@code Metering.Builder}, validated there. */
  public record Settings(
      UsageStore store,
      MeterCatalog catalog,
      InstantSource clock,
      Duration maxLateness,
      Duration futureSkew,
      int bufferCapacity,
      Duration flushInterval,
      Backpressure backpressure,
      ScheduledExecutorService flushExecutor,
      Duration rawRetention,
      Duration rollupRetention,
      Duration idempotencyRetention,
      MeterRegistry meterRegistry,
      TenantTags tenantTags) {}

  /** Builds the parts and starts the flusher when the catalog has a buffered meter. */
  public MeteringSetup(Settings s) {
    MeteringMetrics metrics = new MeteringMetrics(s.meterRegistry(), s.tenantTags());
    EventValidator validator = new EventValidator(s.catalog(), s.maxLateness(), s.futureSkew());
    Duration settle = SETTLE.plus(s.flushInterval());
    BatchWriter writer =
        new BatchWriter(s.store(), validator, s.clock(), settle, metrics, GeneratedKeys.create());
    EventBuffer buffer = new EventBuffer(s.bufferCapacity(), s.backpressure(), MAX_BATCH, writer);
    boolean buffered =
        s.catalog().all().stream().anyMatch(m -> m.durability() == Durability.BUFFERED);
    Flusher flusher = buffered ? new Flusher(buffer, s.flushInterval(), s.flushExecutor()) : null;
    this.meter =
        new DefaultUsageMeter(
            validator,
            EventClock.of(s.clock()),
            new GroupCommit(writer, MAX_BATCH),
            buffer,
            flusher,
            metrics);
    this.queries = new DefaultUsageQueries(s.store(), s.catalog());
    this.store = s.store();
    this.rollups =
        new DefaultRollupJob(
            s.store(),
            s.catalog(),
            s.clock(),
            System::nanoTime,
            new DefaultRollupJob.Settings(
                s.maxLateness().plus(settle).plus(ROLLUP_MARGIN),
                s.rawRetention(),
                s.rollupRetention(),
                s.idempotencyRetention()),
            metrics,
            "metering-" + UUID.randomUUID());
  }

  /** The meter. */
  public UsageMeter usageMeter() {
    return meter;
  }

  /** The queries. */
  public UsageQueries queries() {
    return queries;
  }

  /** The rollup job. */
  public RollupJob rollups() {
    return rollups;
  }

  /**
   * Writes the buffer, so no event of the tenant lands after it, then deletes its usage while no
   * rollup run is under way.
   */
  public void purge(TenantId tenant) {
    Objects.requireNonNull(tenant, "tenant");
    meter.flush();
    rollups.exclusively(() -> store.purge(tenant));
  }
}
