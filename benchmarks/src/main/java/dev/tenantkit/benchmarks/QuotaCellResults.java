package dev.tenantkit.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.quota.LimitSpec;
import dev.tenantkit.metering.quota.Plan;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.ResetPeriod;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.metering.quota.spi.CellResult;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the quota store's result encoding costs ({@link CellResult}): a {@code long} against a small
 * immutable result object, returned across an interface call from a lock-free counter shaped like
 * the in-memory store's, and turned into a decision object as the enforcer does. Run with {@code
 * -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per decision. The call site sees one
 * cell class ({@code *Monomorphic}, as with one store in a process) or three ({@code *Megamorphic},
 * a wrapping store or several stores in one process), which decides whether the JIT inlines the
 * cell and escape analysis can remove the result object. {@link #tenantkitH2Allowance} is the real
 * enforcer on {@link JdbcQuotaStore} over H2, to set a result object beside what a database
 * decision allocates anyway. The figures are in {@code docs/performance.md}.
 *
 * <p>Instances are JMH state, one per thread; not for use outside JMH.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class QuotaCellResults {
  private static final long CEILING = Long.MAX_VALUE - 1;

  /** What variant (b) returns instead of a {@code long}: immutable, two fields. */
  public record Result(boolean applied, long state) {}

  /** The decision both variants make from the cell's answer (allocated in both). */
  public record Outcome(boolean allowed, long used) {}

  /** A counter answering a {@code long}, as {@code QuotaCell#tryAdd} does. */
  public interface LongCell {
    /** Adds {@code amount} if the counter stays at or below {@code ceiling}. */
    long tryAdd(long amount, long ceiling);
  }

  /** The same counter answering a result object. */
  public interface ObjectCell {
    /** Adds {@code amount} if the counter stays at or below {@code ceiling}. */
    Result tryAdd(long amount, long ceiling);
  }

  /** A lock-free counter, as the in-memory store's: a compare-and-set loop on one field. */
  public static class Counter implements LongCell {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(Counter.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private volatile long value;

    /** The long encoding. */
    @Override
    public long tryAdd(long amount, long ceiling) {
      while (true) {
        long v = value;
        if (v > ceiling - amount) {
          return CellResult.rejected(v);
        }
        if (VALUE.compareAndSet(this, v, v + amount)) {
          return CellResult.applied(v + amount);
        }
      }
    }

    /** The object encoding. */
    Result tryAddResult(long amount, long ceiling) {
      while (true) {
        long v = value;
        if (v > ceiling - amount) {
          return new Result(false, v);
        }
        if (VALUE.compareAndSet(this, v, v + amount)) {
          return new Result(true, v + amount);
        }
      }
    }
  }

  /** The object-returning cell over a {@link Counter}; its own classes make a call site busy. */
  public static class ResultCell implements ObjectCell {
    final Counter counter = new Counter();

    @Override
    public Result tryAdd(long amount, long ceiling) {
      return counter.tryAddResult(amount, ceiling);
    }
  }

  /** A second class of long cell, with its own method, so a call site sees another target. */
  public static final class OtherCounter extends Counter {
    @Override
    public long tryAdd(long amount, long ceiling) {
      return super.tryAdd(amount, ceiling);
    }
  }

  /** A third class of long cell, with its own method. */
  public static final class ThirdCounter extends Counter {
    @Override
    public long tryAdd(long amount, long ceiling) {
      return super.tryAdd(amount, ceiling);
    }
  }

  /** A second class of result cell, with its own method. */
  public static final class OtherResultCell extends ResultCell {
    @Override
    public Result tryAdd(long amount, long ceiling) {
      return counter.tryAddResult(amount, ceiling);
    }
  }

  /** A third class of result cell, with its own method. */
  public static final class ThirdResultCell extends ResultCell {
    @Override
    public Result tryAdd(long amount, long ceiling) {
      return counter.tryAddResult(amount, ceiling);
    }
  }

  private final LongCell[] oneLongClass = {new Counter(), new Counter(), new Counter()};
  private final LongCell[] threeLongClasses = {
    new Counter(), new OtherCounter(), new ThirdCounter()
  };
  private final ObjectCell[] oneResultClass = {
    new ResultCell(), new ResultCell(), new ResultCell()
  };
  private final ObjectCell[] threeResultClasses = {
    new ResultCell(), new OtherResultCell(), new ThirdResultCell()
  };
  private int turn;

  private int next() {
    int t = turn + 1;
    turn = t == 3 ? 0 : t;
    return turn;
  }

  private static Outcome decide(long r) {
    return new Outcome(CellResult.isApplied(r), CellResult.state(r));
  }

  private static Outcome decide(Result r) {
    return new Outcome(r.applied(), r.state());
  }

  /** (a) A {@code long} from one cell class. */
  @Benchmark
  public Outcome longMonomorphic() {
    return decide(oneLongClass[next()].tryAdd(1, CEILING));
  }

  /** (a) A {@code long} from three cell classes. */
  @Benchmark
  public Outcome longMegamorphic() {
    return decide(threeLongClasses[next()].tryAdd(1, CEILING));
  }

  /** (b) A result object from one cell class. */
  @Benchmark
  public Outcome objectMonomorphic() {
    return decide(oneResultClass[next()].tryAdd(1, CEILING));
  }

  /** (b) A result object from three cell classes. */
  @Benchmark
  public Outcome objectMegamorphic() {
    return decide(threeResultClasses[next()].tryAdd(1, CEILING));
  }

  /** Tenantkit's enforcer on {@link JdbcQuotaStore} over an in-memory H2. */
  @State(Scope.Benchmark)
  public static class H2 {
    private HikariDataSource db;
    private QuotaEnforcer enforcer;

    /** Creates the database and the enforcer. */
    @Setup(Level.Trial)
    public void setUp() {
      db = EmbeddedDatabase.h2InMemory("quota-cell-results");
      PlanCatalog catalog =
          PlanCatalog.builder()
              .plan(
                  Plan.builder("bench")
                      .limit(
                          QuotaLocalBase.ALLOWANCE,
                          LimitSpec.allowance(QuotaLocalBase.HUGE, ResetPeriod.MONTH))
                      .build())
              .build();
      enforcer =
          Quotas.builder()
              .catalog(catalog)
              .store(JdbcQuotaStore.builder(db).build())
              .planOf(t -> "bench")
              .build();
    }

    /** Drops the database. */
    @TearDown(Level.Trial)
    public void tearDown() {
      db.close();
    }
  }

  private final TenantId tenant = TenantId.of("tenant-0");

  /** One unit of a monthly allowance, decided in H2. */
  @Benchmark
  public QuotaDecision tenantkitH2Allowance(H2 h2) {
    return h2.enforcer.tryConsume(tenant, QuotaLocalBase.ALLOWANCE, 1);
  }
}
