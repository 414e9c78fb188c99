package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.benchmarks.internal.UsageRows;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * Durable single-event recording into PostgreSQL from eight threads, in events per second: each
 * call is {@link dev.tenantkit.metering.UsageMeter#record} of one {@link
 * dev.tenantkit.metering.Durability#DURABLE} event with its own idempotency key, returning once the
 * event is committed. Concurrent callers share commits (group commit). Each thread records for its
 * own tenant. There is no peer: the number is what the issue asks for.
 *
 * <p>With {@code synchronousCommit=on} a commit waits for the WAL to reach the disk, so the result
 * is bounded by this machine's disk flush time; {@code off} shows the library's own ceiling.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(8)
public class IngestDurablePostgres {

  /** The database and Tenantkit's metering over it. */
  @State(Scope.Benchmark)
  public static class Db {
    /** PostgreSQL {@code synchronous_commit}. */
    @Param({"on", "off"})
    public String synchronousCommit;

    private final AtomicInteger threads = new AtomicInteger();
    private BenchDatabase db;
    private Metering metering;

    /** Starts the database and migrates it. */
    @Setup(Level.Trial)
    public void setUp() {
      db = BenchDatabase.create(8, synchronousCommit);
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

  /** One thread's tenant and key counter. */
  @State(Scope.Thread)
  public static class Caller {
    private TenantId tenant;
    private String prefix;
    private long next;

    /** Picks this thread's tenant. */
    @Setup(Level.Trial)
    public void setUp(Db db) {
      int n = db.threads.getAndIncrement();
      tenant = TenantId.of("tenant-" + n);
      prefix = "t" + n + "-";
    }
  }

  /** Records one durable event. */
  @Benchmark
  public RecordOutcome tenantkitRecord(Db db, Caller caller) {
    UsageEvent e =
        UsageEvent.builder(caller.tenant, UsageRows.METER)
            .quantity(812)
            .idempotencyKey(caller.prefix + caller.next++)
            .dimension("model", "small")
            .build();
    return db.metering.usageMeter().record(e);
  }
}
