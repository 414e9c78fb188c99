package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.benchmarks.internal.UsageRows;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
 * A tenant's usage total for one month over {@link #events} raw events (ten million by default),
 * answered from rollups: {@link dev.tenantkit.metering.UsageQueries#total} for January 2025,
 * against the naive answer, a SQL {@code sum} over the same raw events in the same database.
 *
 * <p>Setup, not measured: the events are streamed into the raw table with {@code COPY} (evenly
 * spread over the month, quantities 1 to 1000), the table is analysed, and the rollup job runs once
 * with the clock fixed at 1 February 2025 12:00 UTC, so every hour of January is rolled up. Raw
 * events are kept (raw retention of ten years) so the SQL baseline reads the same rows. The load
 * and rollup times are printed; setup takes a few minutes for ten million events on two cores.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class UsageMonthTotal {
  static final Instant MONTH_START = Instant.parse("2025-01-01T00:00:00Z");
  static final Instant MONTH_END = Instant.parse("2025-02-01T00:00:00Z");
  static final Instant NOW = Instant.parse("2025-02-01T12:00:00Z");
  private static final TenantId TENANT = TenantId.of("acme");
  private static final TimeRange MONTH = new TimeRange(MONTH_START, MONTH_END);

  /** Raw events of the tenant in the month. */
  @Param("10000000")
  public long events;

  private BenchDatabase db;
  private Metering metering;
  private BigDecimal expected;

  /** Loads the events, rolls them up and checks both answers agree. */
  @Setup(Level.Trial)
  public void setUp() {
    db = BenchDatabase.create(2, "off");
    Duration tenYears = Duration.ofDays(3650);
    metering =
        Metering.builder()
            .store(JdbcUsageStore.builder(db.app()).build())
            .clock(InstantSource.fixed(NOW))
            .rawRetention(tenYears)
            .rollupRetention(tenYears)
            .build();
    long t0 = System.nanoTime();
    long sum = UsageRows.load(db.admin(), TENANT, events, MONTH_START, MONTH_END);
    long t1 = System.nanoTime();
    RollupReport report = metering.rollups().run();
    long t2 = System.nanoTime();
    System.out.printf(
        "%n[setup] loaded %,d events in %.1f s; rollup job %.1f s (%d hourly, %d daily rows)%n",
        events, (t1 - t0) / 1e9, (t2 - t1) / 1e9, report.hoursRolledUp(), report.daysRolledUp());
    expected = BigDecimal.valueOf(sum);
    check("Tenantkit's total", tenantkitTotal());
    check("the SQL sum", sqlSumOverRawEvents());
  }

  private void check(String what, BigDecimal actual) {
    if (actual.compareTo(expected) != 0) {
      throw new IllegalStateException(what + " is " + actual + ", expected " + expected);
    }
  }

  /** Closes metering and drops the database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    metering.close();
    db.close();
  }

  /** The month's sum both benchmarks must return. */
  public BigDecimal expected() {
    return expected;
  }

  /** Tenantkit: the month's total from the rollups. */
  @Benchmark
  public BigDecimal tenantkitTotal() {
    return metering.queries().total(TENANT, UsageRows.METER, MONTH);
  }

  /**
   * The naive answer: {@code sum(quantity)} over the raw events of the month, as the application
   * role under row-level security, using the {@code (tenant_id, meter, ts)} index.
   */
  @Benchmark
  public BigDecimal sqlSumOverRawEvents() {
    try (Connection c = db.app().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement bind = c.prepareStatement("select set_config(?, ?, true)")) {
        bind.setString(1, "tenantkit.tenant_id");
        bind.setString(2, TENANT.value());
        bind.executeQuery().close();
      }
      BigDecimal sum;
      try (PreparedStatement q =
          c.prepareStatement(
              "select coalesce(sum(quantity), 0) from tenantkit_metering_events"
                  + " where tenant_id = ? and meter = ? and ts >= ? and ts < ?")) {
        q.setString(1, TENANT.value());
        q.setString(2, UsageRows.METER);
        q.setObject(3, OffsetDateTime.ofInstant(MONTH_START, ZoneOffset.UTC));
        q.setObject(4, OffsetDateTime.ofInstant(MONTH_END, ZoneOffset.UTC));
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          sum = rs.getBigDecimal(1).stripTrailingZeros();
        }
      }
      c.commit();
      return sum;
    } catch (SQLException e) {
      throw new IllegalStateException("sum over raw events failed", e);
    }
  }
}
