package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.benchmarks.internal.UsageRows;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Bulk ingestion into PostgreSQL, one thread, in events per second: Tenantkit's {@link
 * dev.tenantkit.metering.UsageMeter#recordAll} of a batch of {@value #BATCH} durable events into
 * {@link JdbcUsageStore} against a raw {@code COPY} of the same rows into the same table (the
 * fastest way into PostgreSQL, and a floor no library reaches: it skips validation, idempotency
 * keys and row-level security).
 *
 * <p>Each invocation writes a fresh batch (built before the clock starts); both tables are
 * truncated before each iteration so neither side writes into a fuller table than the other.
 * Tenantkit writes as a role under row-level security; the {@code COPY} runs as the superuser,
 * since PostgreSQL refuses {@code COPY FROM} into such a table for any other role.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class IngestBulkPostgres {
  /** Events per batch. */
  public static final int BATCH = 1000;

  private static final TenantId TENANT = TenantId.of("acme");

  /** The database and Tenantkit's metering over it. */
  @State(Scope.Benchmark)
  public static class Db {
    /**
     * PostgreSQL {@code synchronous_commit}: {@code off} measures the code, {@code on} the disk.
     */
    @Param("off")
    public String synchronousCommit;

    private BenchDatabase db;
    private Metering metering;

    /** Starts the database and migrates it. */
    @Setup(Level.Trial)
    public void setUp() {
      db = BenchDatabase.create(4, synchronousCommit);
      metering = Metering.builder().store(JdbcUsageStore.builder(db.app()).build()).build();
    }

    /** Empties the tables written to. */
    @Setup(Level.Iteration)
    public void truncate() {
      UsageRows.truncate(db.admin());
    }

    /** Closes metering and drops the database. */
    @TearDown(Level.Trial)
    public void tearDown() {
      metering.close();
      db.close();
    }
  }

  /** A fresh batch of events for each invocation of {@link #tenantkitRecordAll}. */
  @State(Scope.Thread)
  public static class EventBatch {
    private final UsageRows rows = new UsageRows(1);
    private final AtomicLong batches = new AtomicLong();
    private List<UsageEvent> events;

    /** Builds the next batch. */
    @Setup(Level.Invocation)
    public void next() {
      events = rows.events(TENANT, "tk-" + batches.incrementAndGet(), BATCH);
    }
  }

  /** The same rows in {@code COPY} text for each invocation of {@link #copy}. */
  @State(Scope.Thread)
  public static class CopyBatch {
    private final UsageRows rows = new UsageRows(1);
    private final AtomicLong batches = new AtomicLong();
    private String text;

    /** Builds the next batch. */
    @Setup(Level.Invocation)
    public void next() {
      text = rows.copyText(TENANT, "copy-" + batches.incrementAndGet(), BATCH, Instant.now());
    }
  }

  /** Tenantkit: one {@code recordAll} of a batch of durable events. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public List<RecordOutcome> tenantkitRecordAll(Db db, EventBatch batch) {
    List<RecordOutcome> outcomes = db.metering.usageMeter().recordAll(batch.events);
    for (RecordOutcome o : outcomes) {
      if (o.status() != RecordOutcome.Status.ACCEPTED) {
        throw new IllegalStateException("an event was not stored: " + o);
      }
    }
    return outcomes;
  }

  /** Raw {@code COPY} of the same rows into the same table. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long copy(Db db, CopyBatch batch) {
    return UsageRows.copy(db.db.admin(), batch.text);
  }
}
