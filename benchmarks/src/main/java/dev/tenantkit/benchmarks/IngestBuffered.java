package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.DiscardingUsageStore;
import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.tenancy.TenantId;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The caller's cost of {@link UsageMeter#record} for a {@link
 * dev.tenantkit.metering.Durability#BUFFERED} meter ({@link Meters#API_CALLS}), on one thread.
 *
 * <p>The buffer drains into a {@link DiscardingUsageStore} (the flusher thread writes at memory
 * speed) and holds {@link #bufferCapacity} events. The caller only validates and queues; the
 * flusher does more per event (it makes the stored event, its key, and the store's batch), so a
 * caller recording flat out on one thread can outpace it, above all while the JIT has compiled the
 * caller's path and not yet the writer's. {@link #backpressure} decides what happens then: {@link
 * Backpressure#BLOCK} (the default) makes the caller write a batch itself, so the time measured
 * includes every write the caller caused and is what one thread can sustain; with {@code -p
 * backpressure=REJECT} a full buffer makes {@code record} throw and fails the run, so a finished
 * run proves the buffer never filled.
 *
 * <p>{@link #record} hands over an event built once (no idempotency key, no timestamp: the meter
 * assigns both, as for an API call); {@link #buildAndRecord} also builds the event with its three
 * dimensions, which is what an instrumented request pays in all. The flusher shares the machine's
 * cores with the measured thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class IngestBuffered {
  /** Events the buffer holds; large enough that the flusher always keeps up. */
  @Param("262144")
  public int bufferCapacity;

  /** What a full buffer does: {@code BLOCK} or {@code REJECT}. */
  @Param("BLOCK")
  public String backpressure = "BLOCK";

  private final TenantId tenant = TenantId.of("acme");
  private DiscardingUsageStore store;
  private Metering metering;
  private UsageMeter meter;
  private UsageEvent event;

  /** Builds metering over a discarding store and the event recorded by {@link #record}. */
  @Setup(Level.Trial)
  public void setUp() {
    store = new DiscardingUsageStore();
    metering =
        Metering.builder()
            .store(store)
            .buffer(bufferCapacity, Duration.ofMillis(100), Backpressure.valueOf(backpressure))
            .build();
    meter = metering.usageMeter();
    event = apiCall();
  }

  /** Flushes and stops the flusher. */
  @TearDown(Level.Trial)
  public void tearDown() {
    metering.close();
  }

  /** How many events reached the store so far; for tests. */
  public long stored() {
    return store.appended();
  }

  private UsageEvent apiCall() {
    return UsageEvent.builder(tenant, Meters.API_CALLS.name())
        .dimension("endpoint", "/v1/documents/{id}")
        .dimension("method", "GET")
        .dimension("status", "200")
        .build();
  }

  /** Records an event built beforehand. */
  @Benchmark
  public RecordOutcome record() {
    return meter.record(event);
  }

  /** Builds an event with three dimensions and records it. */
  @Benchmark
  public RecordOutcome buildAndRecord() {
    return meter.record(apiCall());
  }
}
