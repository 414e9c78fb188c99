package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
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
 * Quota decisions against one shared PostgreSQL from eight threads, in decisions per second:
 * Tenantkit's {@link QuotaEnforcer} over {@link JdbcQuotaStore} against Bucket4j's PostgreSQL
 * backends ({@code SELECT ... FOR UPDATE} and advisory locks), each consuming one unit per call.
 * With {@code keys=distinct} every thread has its own tenant (its own row); with {@code keys=same}
 * all eight contend for one row.
 *
 * <p>The limits are those of {@link QuotaLocalBase}: a monthly allowance and a token bucket, both
 * so large they never deny. {@code tenantkitAllowanceLeased} runs the allowance on two enforcers
 * (two application instances) that lease {@code leaseBlock} units at a time; {@link
 * QuotaLeaseBounds} measures what leasing costs in admitted units. Tenantkit connects as a role
 * under row-level security; Bucket4j's table has none. Both use the same pool size (eight).
 *
 * <p>{@code bucket4jSelectForUpdateBatching} is the select-for-update backend with Bucket4j's
 * batching optimization ({@code Optimizations.batching()}), which merges concurrent requests to one
 * bucket proxy into one round trip: threads on one key share a proxy, as an application that keeps
 * a proxy per key would. It shows what Bucket4j can do under same-key contention; Tenantkit has no
 * equivalent and is not compared to it against a target.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(8)
public class QuotaPostgres {

  /** The database, the enforcer and Bucket4j's proxy managers. */
  @State(Scope.Benchmark)
  public static class Db {
    /** {@code distinct}: a key per thread; {@code same}: one key for all threads. */
    @Param({"distinct", "same"})
    public String keys;

    /**
     * PostgreSQL {@code synchronous_commit}: {@code off} measures the code, {@code on} the disk.
     */
    @Param("off")
    public String synchronousCommit;

    /** Allowance units each instance leases at a time in {@link #tenantkitAllowanceLeased}. */
    @Param("100")
    public long leaseBlock;

    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger instances = new AtomicInteger();
    private BenchDatabase db;
    private QuotaEnforcer enforcer;
    private QuotaEnforcer leasingA;
    private QuotaEnforcer leasingB;
    private ProxyManager<Long> selectForUpdate;
    private ProxyManager<Long> advisoryLock;
    private final ConcurrentHashMap<Integer, BucketProxy> batchingProxies =
        new ConcurrentHashMap<>();
    private BucketConfiguration bucket;

    /** Starts the database, migrates Tenantkit's tables and creates Bucket4j's. */
    @Setup(Level.Trial)
    public void setUp() {
      db = BenchDatabase.create(8, synchronousCommit);
      PlanCatalog catalog =
          PlanCatalog.builder()
              .plan(
                  Plan.builder("bench")
                      .limit(
                          QuotaLocalBase.ALLOWANCE,
                          LimitSpec.allowance(QuotaLocalBase.HUGE, ResetPeriod.MONTH))
                      .limit(
                          QuotaLocalBase.RATE,
                          LimitSpec.rate(QuotaLocalBase.RATE_PER_SECOND, Duration.ofSeconds(1)))
                      .build())
              .build();
      enforcer =
          Quotas.builder()
              .catalog(catalog)
              .store(JdbcQuotaStore.builder(db.app()).build())
              .planOf(t -> "bench")
              .build();
      leasingA = leasing(catalog);
      leasingB = leasing(catalog);
      try (Connection c = db.app().getConnection();
          Statement s = c.createStatement()) {
        s.execute("create table bucket (id bigint primary key, state bytea, expires_at bigint)");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create Bucket4j's table", e);
      }
      selectForUpdate = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(db.app()).build();
      advisoryLock = Bucket4jPostgreSQL.advisoryLockBasedBuilder(db.app()).build();
      bucket =
          BucketConfiguration.builder()
              .addLimit(
                  l ->
                      l.capacity(QuotaLocalBase.RATE_PER_SECOND)
                          .refillGreedy(QuotaLocalBase.RATE_PER_SECOND, Duration.ofSeconds(1)))
              .build();
    }

    /** One application instance that leases allowance units; each has its own leases. */
    private QuotaEnforcer leasing(PlanCatalog catalog) {
      return Quotas.builder()
          .catalog(catalog)
          .store(JdbcQuotaStore.builder(db.app()).migrate(false).build())
          .planOf(t -> "bench")
          .leaseBlock(leaseBlock)
          .build();
    }

    /**
     * A batching proxy of key {@code n}, on a bucket created beforehand: Bucket4j's optimizations
     * do not create a missing bucket (requests fail with {@code BucketNotFoundException}, Bucket4j
     * issue 398), so the plain proxy creates it first.
     */
    private BucketProxy batchingProxy(int n) {
      long key = 2_000_000L + n;
      selectForUpdate.builder().build(key, () -> bucket).getAvailableTokens();
      return selectForUpdate
          .builder()
          .withOptimization(Optimizations.batching())
          .build(key, () -> bucket);
    }

    /** Drops the database. */
    @TearDown(Level.Trial)
    public void tearDown() {
      db.close();
    }
  }

  /** One thread's tenant, leasing instance and Bucket4j buckets. */
  @State(Scope.Thread)
  public static class Caller {
    private TenantId tenant;
    private QuotaEnforcer leasing;
    private BucketProxy selectForUpdateBucket;
    private BucketProxy advisoryLockBucket;
    private BucketProxy batchingBucket;

    /** Picks the thread's key: its own, or the one all threads share. */
    @Setup(Level.Trial)
    public void setUp(Db db) {
      int n = "same".equals(db.keys) ? 0 : db.threads.getAndIncrement();
      tenant = TenantId.of("tenant-" + n);
      // Threads alternate between two instances, as requests spread over two app servers.
      leasing = db.instances.getAndIncrement() % 2 == 0 ? db.leasingA : db.leasingB;
      selectForUpdateBucket = db.selectForUpdate.builder().build((long) n, () -> db.bucket);
      // A separate key range, so the two Bucket4j backends never share a row.
      advisoryLockBucket = db.advisoryLock.builder().build(1_000_000L + n, () -> db.bucket);
      batchingBucket = db.batchingProxies.computeIfAbsent(n, db::batchingProxy);
    }
  }

  /**
   * Fails the run on a denial: the limits are far out of reach, so a denial means the decision did
   * not do the work measured (a failing store is denied fast, fail-closed).
   */
  private static QuotaDecision allowed(QuotaDecision d) {
    if (!d.allowed()) {
      throw new IllegalStateException("denied: " + d);
    }
    return d;
  }

  /** Tenantkit: one unit of the monthly allowance. */
  @Benchmark
  public QuotaDecision tenantkitAllowance(Db db, Caller caller) {
    return allowed(db.enforcer.tryConsume(caller.tenant, QuotaLocalBase.ALLOWANCE, 1));
  }

  /**
   * Tenantkit with leasing: one unit of the monthly allowance from an instance that takes {@code
   * leaseBlock} units from the database at a time. Threads alternate between two instances.
   */
  @Benchmark
  public QuotaDecision tenantkitAllowanceLeased(Caller caller) {
    return allowed(caller.leasing.tryConsume(caller.tenant, QuotaLocalBase.ALLOWANCE, 1));
  }

  /** Tenantkit: one token of the rate limit. */
  @Benchmark
  public QuotaDecision tenantkitRate(Db db, Caller caller) {
    return allowed(db.enforcer.tryConsume(caller.tenant, QuotaLocalBase.RATE, 1));
  }

  /** Bucket4j, {@code SELECT ... FOR UPDATE} backend: one token. */
  @Benchmark
  public boolean bucket4jSelectForUpdate(Caller caller) {
    return caller.selectForUpdateBucket.tryConsume(1);
  }

  /** Bucket4j, {@code SELECT ... FOR UPDATE} backend with its batching optimization: one token. */
  @Benchmark
  public boolean bucket4jSelectForUpdateBatching(Caller caller) {
    return caller.batchingBucket.tryConsume(1);
  }

  /** Bucket4j, advisory-lock backend: one token. */
  @Benchmark
  public boolean bucket4jAdvisoryLock(Caller caller) {
    return caller.advisoryLockBucket.tryConsume(1);
  }
}
