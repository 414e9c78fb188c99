package dev.tenantkit.benchmarks;

import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantTags;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Quota decisions in one JVM: Tenantkit's {@link QuotaEnforcer} on the in-memory store against
 * Bucket4j local buckets, for a calendar allowance (monthly, so large it never denies) and a rate
 * limit (a token bucket refilled so fast it never empties). The subclasses fix the thread count and
 * whether threads share one tenant.
 *
 * <p>Bucket4j is measured twice: on a bucket the thread already holds ({@code bucket4j*}), which is
 * the floor of any rate limiter, and looked up by tenant in a {@link ConcurrentHashMap} ({@code
 * bucket4j*ByTenant}), which is what an application must do to limit each tenant and what
 * Tenantkit's call includes. Bucket4j has no calendar months, so its allowance is a bucket refilled
 * at once every 30 days: the same work per call. {@link #clockRead} is the floor both share: one
 * read of the system clock. The {@code *FrozenClock} pair runs the allowance with both libraries'
 * clocks fixed at one instant, which measures each library's own work without that shared read. The
 * {@code *Metrics} pair (no peer) prices Tenantkit's decision counters: with a Micrometer registry,
 * and with a tenant tag on top ({@link TenantTags}).
 *
 * <p>Instances are JMH state, one per thread; not for use outside JMH but by the tests that call a
 * benchmark once.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public abstract class QuotaLocalBase {
  /** The monthly allowance's name in the benchmark catalog. */
  public static final String ALLOWANCE = "calls";

  /** The rate limit's name in the benchmark catalog. */
  public static final String RATE = "requests";

  /** Never reached in a run: fourteen hours of twenty million calls a second. */
  static final long HUGE = 1_000_000_000_000L;

  /** Tokens a second of the rate limit, far above what one core can take. */
  static final long RATE_PER_SECOND = 1_000_000_000L;

  /** The instant the frozen clocks stand at, in epoch milliseconds. */
  static final long FROZEN_MILLIS = 1_768_435_200_000L;

  private TenantId tenant;
  private Bucket allowanceBucket;
  private Bucket rateBucket;
  private Bucket frozenAllowanceBucket;

  /** Whether each thread uses its own tenant (else all threads share one). */
  protected abstract boolean distinctKeys();

  /** What every thread shares: the enforcer, the buckets by tenant. Thread-safe. */
  @State(Scope.Benchmark)
  public static class Shared {
    private final AtomicInteger threads = new AtomicInteger();
    private QuotaEnforcer enforcer;
    private QuotaEnforcer frozenEnforcer;
    private QuotaEnforcer countingEnforcer;
    private QuotaEnforcer taggingEnforcer;
    private final ConcurrentHashMap<TenantId, Bucket> allowanceBuckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, Bucket> rateBuckets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<TenantId, Bucket> frozenAllowanceBuckets =
        new ConcurrentHashMap<>();

    /** Builds the enforcer over a new in-memory store. */
    @Setup(Level.Trial)
    public void setUp() {
      PlanCatalog catalog =
          PlanCatalog.builder()
              .plan(
                  Plan.builder("bench")
                      .limit(ALLOWANCE, LimitSpec.allowance(HUGE, ResetPeriod.MONTH))
                      .limit(RATE, LimitSpec.rate(RATE_PER_SECOND, Duration.ofSeconds(1)))
                      .build())
              .build();
      enforcer = builder(catalog).build();
      countingEnforcer = builder(catalog).meterRegistry(new SimpleMeterRegistry()).build();
      taggingEnforcer =
          builder(catalog)
              .meterRegistry(new SimpleMeterRegistry())
              .tenantTags(TenantTags.firstSeen(100))
              .build();
      frozenEnforcer =
          builder(catalog).clock(InstantSource.fixed(Instant.ofEpochMilli(FROZEN_MILLIS))).build();
    }

    /** An enforcer of the benchmark plan over a store of its own. */
    private static Quotas.Builder builder(PlanCatalog catalog) {
      return Quotas.builder()
          .catalog(catalog)
          .store(InMemoryQuotaStore.create())
          .planOf(t -> "bench");
    }

    /** The enforcer all threads use. */
    public QuotaEnforcer enforcer() {
      return enforcer;
    }
  }

  /** Picks this thread's tenant and its buckets. */
  @Setup(Level.Trial)
  public void setUp(Shared shared) {
    int n = distinctKeys() ? shared.threads.getAndIncrement() : 0;
    tenant = TenantId.of("tenant-" + n);
    allowanceBucket =
        shared.allowanceBuckets.computeIfAbsent(
            tenant,
            t ->
                Bucket.builder()
                    .addLimit(l -> l.capacity(HUGE).refillIntervally(HUGE, Duration.ofDays(30)))
                    .build());
    rateBucket =
        shared.rateBuckets.computeIfAbsent(
            tenant,
            t ->
                Bucket.builder()
                    .addLimit(
                        l ->
                            l.capacity(RATE_PER_SECOND)
                                .refillGreedy(RATE_PER_SECOND, Duration.ofSeconds(1)))
                    .build());
    frozenAllowanceBucket =
        shared.frozenAllowanceBuckets.computeIfAbsent(
            tenant,
            t ->
                Bucket.builder()
                    .addLimit(l -> l.capacity(HUGE).refillIntervally(HUGE, Duration.ofDays(30)))
                    .withCustomTimePrecision(
                        new TimeMeter() {
                          @Override
                          public long currentTimeNanos() {
                            return FROZEN_MILLIS * 1_000_000L;
                          }

                          @Override
                          public boolean isWallClockBased() {
                            return true;
                          }
                        })
                    .build());
  }

  /** Tenantkit: one unit of the monthly allowance. */
  @Benchmark
  public QuotaDecision tenantkitAllowance(Shared shared) {
    return shared.enforcer.tryConsume(tenant, ALLOWANCE, 1);
  }

  /** Bucket4j: one token of a bucket the thread holds, refilled every 30 days. */
  @Benchmark
  public boolean bucket4jAllowance() {
    return allowanceBucket.tryConsume(1);
  }

  /** Bucket4j: the tenant's 30-day bucket looked up by tenant, then one token. */
  @Benchmark
  public boolean bucket4jAllowanceByTenant(Shared shared) {
    return shared.allowanceBuckets.get(tenant).tryConsume(1);
  }

  /** Tenantkit: one token of the rate limit. */
  @Benchmark
  public QuotaDecision tenantkitRate(Shared shared) {
    return shared.enforcer.tryConsume(tenant, RATE, 1);
  }

  /** Bucket4j: one token of a greedy-refill bucket the thread holds. */
  @Benchmark
  public boolean bucket4jRate() {
    return rateBucket.tryConsume(1);
  }

  /** Bucket4j: the tenant's bucket looked up by tenant, then one token. */
  @Benchmark
  public boolean bucket4jRateByTenant(Shared shared) {
    return shared.rateBuckets.get(tenant).tryConsume(1);
  }

  /** Tenantkit with its clock frozen: one unit of the monthly allowance, no clock read. */
  @Benchmark
  public QuotaDecision tenantkitAllowanceFrozenClock(Shared shared) {
    return shared.frozenEnforcer.tryConsume(tenant, ALLOWANCE, 1);
  }

  /**
   * Bucket4j with its clock frozen: one token of the tenant's 30-day bucket, which the thread holds
   * (shared with the other thread when the keys are the same).
   */
  @Benchmark
  public boolean bucket4jAllowanceFrozenClock() {
    return frozenAllowanceBucket.tryConsume(1);
  }

  /** Tenantkit counting its decisions in a Micrometer registry: one unit of the allowance. */
  @Benchmark
  public QuotaDecision tenantkitAllowanceMetrics(Shared shared) {
    return shared.countingEnforcer.tryConsume(tenant, ALLOWANCE, 1);
  }

  /** The same with the decisions counted per tenant ({@code TenantTags.firstSeen(100)}). */
  @Benchmark
  public QuotaDecision tenantkitAllowanceTenantMetrics(Shared shared) {
    return shared.taggingEnforcer.tryConsume(tenant, ALLOWANCE, 1);
  }

  /** The floor: one read of the millisecond clock both libraries use. */
  @Benchmark
  public long clockRead() {
    return System.currentTimeMillis();
  }
}
