package dev.tenantkit.metering;

import dev.tenantkit.metering.internal.MeteringSetup;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The entry point of usage metering: record usage events, query usage, roll raw events up.
 *
 * <pre>{@code
 * Metering metering = Metering.builder()
 *     .store(JdbcUsageStore.builder(dataSource).build())
 *     .catalog(MeterCatalog.builtIns())
 *     .build();
 * metering.usageMeter().record(
 *     UsageEvent.builder(TenantId.of("acme"), "tokens").quantity(812).idempotencyKey(requestId)
 *         .dimension("model", "small").build());
 * BigDecimal used = metering.queries().total(TenantId.of("acme"), "tokens", thisMonth);
 * }</pre>
 *
 * <p>Threads: when the catalog has a {@link Durability#BUFFERED} meter, one daemon thread named
 * {@code tenantkit-metering-flusher-N} writes the buffer (or the host's scheduler, see {@link
 * Builder#flushExecutor}); {@link #close()} flushes and stops it. Durable recording runs in the
 * callers' threads, and the rollup job runs only when the host calls {@link RollupJob#run()}.
 *
 * <p>Thread-safe; build one per application and close it on shutdown.
 */
public final class Metering implements AutoCloseable {
  /** The shortest idempotency-key retention: retries within 35 days are always recognised. */
  public static final Duration MIN_IDEMPOTENCY_RETENTION = Duration.ofDays(35);

  /** The largest buffer capacity {@link Builder#buffer} accepts: 2^24 events. */
  public static final int MAX_BUFFER_CAPACITY = 1 << 24;

  private final MeteringSetup setup;
  private final MeterCatalog catalog;

  private Metering(MeteringSetup setup, MeterCatalog catalog) {
    this.setup = setup;
    this.catalog = catalog;
  }

  /** A builder with the built-in meters, the system clock and the documented defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Records usage events. */
  public UsageMeter usageMeter() {
    return setup.usageMeter();
  }

  /** The declared meters, as given to {@link Builder#catalog}. */
  public MeterCatalog catalog() {
    return catalog;
  }

  /** Reads usage. */
  public UsageQueries queries() {
    return setup.queries();
  }

  /** The rollup and retention job, for the host to run on its schedule. */
  public RollupJob rollups() {
    return setup.rollups();
  }

  /**
   * Deletes all usage of a tenant that is being purged: its buffered events are written first, then
   * its raw events, idempotency keys and rollups are deleted. Idempotent. Register it with tenancy
   * so that a purge removes usage too: {@code Tenancy.builder().purger(metering::purge)}.
   *
   * @throws RuntimeException the store's failure; the purge can be retried
   */
  public void purge(TenantId tenant) {
    setup.purge(tenant);
  }

  /**
   * Flushes buffered events and stops the flusher thread; idempotent. Recording afterwards throws
   * {@link IllegalStateException}; queries keep working.
   *
   * @throws RuntimeException the store's failure during the last flush (the thread is stopped
   *     anyway)
   */
  @Override
  public void close() {
    setup.usageMeter().close();
  }

  /** Validating builder of {@link Metering}. Not thread-safe. */
  public static final class Builder {
    private UsageStore store;
    private MeterCatalog catalog = MeterCatalog.builtIns();
    private InstantSource clock = InstantSource.system();
    private Duration maxLateness = Duration.ofHours(1);
    private Duration futureSkew = Duration.ofMinutes(5);
    private int bufferCapacity = 10_000;
    private Duration flushInterval = Duration.ofSeconds(1);
    private Backpressure backpressure = Backpressure.REJECT;
    private ScheduledExecutorService flushExecutor;
    private Duration rawRetention = Duration.ofDays(30);
    private Duration rollupRetention = Duration.ofDays(730);
    private Duration idempotencyRetention = MIN_IDEMPOTENCY_RETENTION;
    private MeterRegistry meterRegistry;
    private TenantTags tenantTags = TenantTags.none();

    private Builder() {}

    /** Where usage is kept; required. */
    public Builder store(UsageStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The declared meters; default {@link MeterCatalog#builtIns()}. */
    public Builder catalog(MeterCatalog catalog) {
      this.catalog = Objects.requireNonNull(catalog, "catalog");
      return this;
    }

    /** The time source; tests pass a fake one. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How old an event's timestamp may be when it is recorded; default one hour. Older events are
     * refused with {@link RejectionReason#TOO_LATE}, which is what lets the rollup job close an
     * hour for good.
     */
    public Builder maxLateness(Duration maxLateness) {
      this.maxLateness = Objects.requireNonNull(maxLateness, "maxLateness");
      return this;
    }

    /**
     * How far in the future an event's timestamp may be (clock skew of the caller); default five
     * minutes. Later ones are refused with {@link RejectionReason#IN_FUTURE}.
     */
    public Builder futureSkew(Duration futureSkew) {
      this.futureSkew = Objects.requireNonNull(futureSkew, "futureSkew");
      return this;
    }

    /**
     * The buffer of {@link Durability#BUFFERED} meters: at most {@code capacity} events (default
     * 10,000) are held in memory, written every {@code flushInterval} (default one second) and as
     * soon as a batch of 1,000 events (or half the capacity, if that is less) is waiting; when
     * full, {@code backpressure} decides (default {@link Backpressure#REJECT}). A crash loses at
     * most {@code capacity} acknowledged buffered events. The capacity is at most {@value
     * Metering#MAX_BUFFER_CAPACITY}: the buffer's slots are allocated when metering is built.
     */
    public Builder buffer(int capacity, Duration flushInterval, Backpressure backpressure) {
      this.bufferCapacity = capacity;
      this.flushInterval = Objects.requireNonNull(flushInterval, "flushInterval");
      this.backpressure = Objects.requireNonNull(backpressure, "backpressure");
      return this;
    }

    /**
     * Runs the buffer's flushes on the host's scheduler instead of the library's own thread. The
     * host owns it: {@link Metering#close()} cancels the flush task but does not shut it down.
     */
    public Builder flushExecutor(ScheduledExecutorService executor) {
      this.flushExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * How long raw events are kept (default 30 days); they are deleted only once their hours are
     * rolled up. Minute series and the raw event listing reach back this far.
     */
    public Builder rawRetention(Duration rawRetention) {
      this.rawRetention = Objects.requireNonNull(rawRetention, "rawRetention");
      return this;
    }

    /** How long hourly and daily rollups are kept; default two years. */
    public Builder rollupRetention(Duration rollupRetention) {
      this.rollupRetention = Objects.requireNonNull(rollupRetention, "rollupRetention");
      return this;
    }

    /**
     * How long a tenant's idempotency keys are remembered; default and minimum 35 days, and always
     * longer than {@code maxLateness + futureSkew} so that a retry is either recognised or refused
     * as too late, never counted twice.
     */
    public Builder idempotencyRetention(Duration idempotencyRetention) {
      this.idempotencyRetention =
          Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
      return this;
    }

    /**
     * Where to publish the {@code tenantkit.usage.*} meters (see docs/metering.md); default none.
     * Their tags are the meter's name and the reason of a rejection, and a tenant tag only if
     * {@link #tenantTags} asks for one.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Which tenants get their own {@value TenantTags#KEY} tag on the events recorded, duplicates
     * and rejections counted in the {@link #meterRegistry}; default {@link TenantTags#none()}, no
     * tenant tag. Pass the instance the quota enforcer has too, so both tag the same tenants.
     */
    public Builder tenantTags(TenantTags tags) {
      this.tenantTags = Objects.requireNonNull(tags, "tags");
      return this;
    }

    /**
     * Builds metering and starts the flusher if the catalog has a buffered meter.
     *
     * @throws InvalidInputException if the store is missing or a setting breaks its rule
     */
    public Metering build() {
      if (store == null) {
        throw new InvalidInputException("store", "a usage store is required");
      }
      positive("maxLateness", maxLateness);
      if (futureSkew.isNegative()) {
        throw new InvalidInputException("futureSkew", "futureSkew must not be negative");
      }
      if (bufferCapacity < 1 || bufferCapacity > MAX_BUFFER_CAPACITY) {
        throw new InvalidInputException(
            "bufferCapacity", "buffer capacity must be 1 to " + MAX_BUFFER_CAPACITY);
      }
      positive("flushInterval", flushInterval);
      if (rawRetention.compareTo(Duration.ofHours(1)) < 0) {
        throw new InvalidInputException("rawRetention", "rawRetention must be at least 1 hour");
      }
      if (rollupRetention.compareTo(rawRetention) < 0) {
        throw new InvalidInputException(
            "rollupRetention", "rollupRetention must be at least rawRetention");
      }
      if (idempotencyRetention.compareTo(MIN_IDEMPOTENCY_RETENTION) < 0) {
        throw new InvalidInputException(
            "idempotencyRetention", "idempotencyRetention must be at least 35 days");
      }
      if (idempotencyRetention.compareTo(maxLateness.plus(futureSkew)) <= 0) {
        throw new InvalidInputException(
            "idempotencyRetention",
            "idempotencyRetention must be longer than maxLateness + futureSkew");
      }
      return new Metering(
          new MeteringSetup(
              new MeteringSetup.Settings(
                  store,
                  catalog,
                  clock,
                  maxLateness,
                  futureSkew,
                  bufferCapacity,
                  flushInterval,
                  backpressure,
                  flushExecutor,
                  rawRetention,
                  rollupRetention,
                  idempotencyRetention,
                  meterRegistry,
                  tenantTags)),
          catalog);
    }

    private static void positive(String name, Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new InvalidInputException(name, name + " must be positive");
      }
    }
  }
}
