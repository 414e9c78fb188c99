package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageAcrossTenants;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * The operator overview of {@code GET /admin/usage}: every built-in meter's total and top consumers
 * over {@link #tenants} tenants (1,000 by default) on PostgreSQL, answered by one {@code
 * acrossTenants(meters, ...)} call, which reads each tenant once for all meters, against one {@code
 * acrossTenants(meter, ...)} call per meter, which reads each tenant once per meter.
 *
 * <p>Setup, not measured: each tenant records two raw events (tokens and an API call) in the
 * current hour, through {@code recordAll} as the application role under row-level security.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class UsageConsumersPostgres {
  private static final int TOP = 10;

  /** Tenants with usage. */
  @Param("1000")
  public int tenants;

  private final List<String> meters =
      MeterCatalog.builtIns().all().stream().map(MeterDefinition::name).toList();
  private BenchDatabase db;
  private Metering metering;
  private TimeRange range;

  /** Records each tenant's events. */
  @Setup(Level.Trial)
  public void setUp() {
    db = BenchDatabase.create(2, "off");
    Instant now = Instant.now();
    metering =
        Metering.builder()
            .store(JdbcUsageStore.builder(db.app()).build())
            .clock(InstantSource.fixed(now))
            .build();
    List<UsageEvent> events = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      TenantId tenant = TenantId.of("t" + t);
      events.add(UsageEvent.builder(tenant, "tokens").quantity(t + 1).timestamp(now).build());
      events.add(
          UsageEvent.builder(tenant, "api_calls")
              .dimension("endpoint", "/x")
              .dimension("status", "200")
              .timestamp(now)
              .build());
    }
    for (int i = 0; i < events.size(); i += 1000) {
      metering.usageMeter().recordAll(events.subList(i, Math.min(events.size(), i + 1000)));
    }
    metering.usageMeter().flush();
    range = new TimeRange(now.minusSeconds(3600), now.plusSeconds(1));
  }

  /** Closes metering and drops the database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    metering.close();
    db.close();
  }

  /** Tenantkit: one call for every meter. */
  @Benchmark
  public Map<String, UsageAcrossTenants> allMetersAtOnce() {
    return metering.queries().acrossTenants(meters, range, TOP);
  }

  /** The same answer from one call per meter, as {@code /admin/usage} did before. */
  @Benchmark
  public Map<String, UsageAcrossTenants> oneCallPerMeter() {
    Map<String, UsageAcrossTenants> out = new HashMap<>();
    for (String meter : meters) {
      out.put(meter, metering.queries().acrossTenants(meter, range, TOP));
    }
    return out;
  }
}
