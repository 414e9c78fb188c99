package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * What leasing costs in admitted units: eight threads on two leasing application instances (four
 * each) consume one unit at a time of one tenant's monthly allowance of {@link #limit}. Instance
 * B's threads stop once B has admitted a quarter of the limit, as a server that goes idle while
 * holding a lease; instance A's threads go on until they are denied. The score is the time that
 * takes (single shot per iteration, a fresh tenant each time). After each iteration a line {@code
 * [lease-bounds]} reports the units admitted, the overshoot above the limit (must be 0: the
 * database counts leased units; an overshoot fails the run) and the units stranded in B's lease,
 * which the documented bound keeps below {@code leaseBlock}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@Threads(8)
@State(Scope.Benchmark)
public class QuotaLeaseBounds {
  private static final String LIMIT_NAME = "bounded";

  /** The allowance per month. */
  @Param("10000")
  public long limit;

  /** Units each instance leases at a time; 1 is no leasing. */
  @Param({"1", "100"})
  public long leaseBlock;

  private final AtomicInteger threads = new AtomicInteger();
  private final AtomicInteger iterations = new AtomicInteger();
  private final AtomicLong admitted = new AtomicLong();
  private final AtomicLong admittedByB = new AtomicLong();
  private BenchDatabase db;
  private QuotaEnforcer instanceA;
  private QuotaEnforcer instanceB;
  private volatile TenantId tenant;

  /** Starts the database and the two instances. */
  @Setup(Level.Trial)
  public void setUp() {
    db = BenchDatabase.create(8, "off");
    PlanCatalog catalog =
        PlanCatalog.builder()
            .plan(
                Plan.builder("bench")
                    .limit(LIMIT_NAME, LimitSpec.allowance(limit, ResetPeriod.MONTH))
                    .build())
            .build();
    JdbcQuotaStore.builder(db.app()).build();
    instanceA = instance(catalog);
    instanceB = instance(catalog);
  }

  private QuotaEnforcer instance(PlanCatalog catalog) {
    return Quotas.builder()
        .catalog(catalog)
        .store(JdbcQuotaStore.builder(db.app()).migrate(false).build())
        .planOf(t -> "bench")
        .leaseBlock(leaseBlock)
        .build();
  }

  /** A fresh tenant, so every iteration starts from an unused allowance. */
  @Setup(Level.Iteration)
  public void nextTenant() {
    tenant = TenantId.of("bounds-" + iterations.incrementAndGet());
    admitted.set(0);
    admittedByB.set(0);
  }

  /**
   * Reports what was admitted and fails on an overshoot.
   *
   * @throws IllegalStateException if more than the limit was admitted
   */
  @TearDown(Level.Iteration)
  public void report() {
    long a = admitted.get();
    System.out.printf(
        "%n[lease-bounds] limit %d, leaseBlock %d: admitted %d, overshoot %d, stranded %d"
            + " (bound %d)%n",
        limit, leaseBlock, a, Math.max(0, a - limit), limit - a, leaseBlock - 1);
    if (a > limit) {
      throw new IllegalStateException("admitted " + a + " of a limit of " + limit);
    }
  }

  /** Drops the database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  /** Units admitted in the current iteration so far; for tests. */
  public long admitted() {
    return admitted.get();
  }

  /**
   * One thread: consumes one unit at a time until denied (or, on instance B, until B has admitted a
   * quarter of the limit); returns how many were admitted.
   */
  @Benchmark
  public long consumeUntilDenied(Worker worker) {
    long n = 0;
    while (!(worker.idles && admittedByB.get() >= limit / 4)
        && worker.instance.tryConsume(tenant, LIMIT_NAME, 1).allowed()) {
      n++;
      if (worker.idles) {
        admittedByB.incrementAndGet();
      }
    }
    admitted.addAndGet(n);
    return n;
  }

  /** Which instance a thread uses: threads alternate between the two. */
  @State(Scope.Thread)
  public static class Worker {
    private QuotaEnforcer instance;
    private boolean idles;

    /** Picks this thread's instance. */
    @Setup(Level.Trial)
    public void setUp(QuotaLeaseBounds bench) {
      idles = bench.threads.getAndIncrement() % 2 == 1;
      instance = idles ? bench.instanceB : bench.instanceA;
    }
  }
}
