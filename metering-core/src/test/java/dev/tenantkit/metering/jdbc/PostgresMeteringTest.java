package dev.tenantkit.metering.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.Granularity;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RollupReport;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.spi.NewEvent;
import dev.tenantkit.metering.spi.Rollup;
import dev.tenantkit.metering.spi.TenantMarks;
import dev.tenantkit.metering.testkit.RandomUsage;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What only a real PostgreSQL shows: row-level security, and two instances on one database. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PostgresMeteringTest {
  private static final TenantId A = TenantId.of("acme");
  private static final TenantId B = TenantId.of("bravo");
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  private final HikariDataSource db = Databases.postgres();
  private final List<Metering> opened = new ArrayList<>();

  @AfterEach
  void close() {
    opened.forEach(Metering::close);
    db.close();
  }

  private Metering instance(FakeClock clock) {
    Metering m =
        Metering.builder()
            .store(JdbcUsageStore.builder(db).build())
            .catalog(TestMeters.catalog())
            .clock(clock)
            .maxLateness(Duration.ofHours(2))
            .rawRetention(Duration.ofDays(5))
            .build();
    opened.add(m);
    return m;
  }

  private static long count(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void rowLevelSecurityLimitsEveryStatementToTheBoundTenant() throws Exception {
    JdbcUsageStore store = JdbcUsageStore.builder(db).build();
    store.append(
        List.of(
            new NewEvent(
                new UsageEvent(
                    A, "tokens", BigDecimal.ONE, T0, "a", Map.of(), Map.of(), null, null),
                "a".repeat(64),
                T0),
            new NewEvent(
                new UsageEvent(
                    B, "tokens", BigDecimal.TEN, T0, "b", Map.of(), Map.of(), null, null),
                "b".repeat(64),
                T0)));
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      for (String table : List.of("events", "keys", "tenants")) {
        assertThat(count(s, "select count(*) from tenantkit_metering_" + table)).isZero();
      }
      s.execute("select set_config('tenantkit.tenant_id', 'acme', true)");
      assertThat(count(s, "select count(*) from tenantkit_metering_events")).isEqualTo(1);
      assertThat(count(s, "select count(*) from tenantkit_metering_keys where tenant_id = 'bravo'"))
          .isZero();
      assertThatThrownBy(
              () ->
                  s.executeUpdate(
                      "insert into tenantkit_metering_keys values ('bravo', 'x', 'h', now())"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("row-level security");
      c.rollback();

      s.execute("select set_config('tenantkit.all_tenants', 'on', true)");
      assertThat(count(s, "select count(*) from tenantkit_metering_tenants")).isEqualTo(2);
      assertThat(count(s, "select count(*) from tenantkit_metering_events")).isZero();
      // The operator policy admits reading only: writes still see no row of any tenant.
      assertThat(s.executeUpdate("update tenantkit_metering_tenants set rolled_up_to = now()"))
          .isZero();
      c.rollback();
    }
    assertThat(store.tenants()).extracting(TenantMarks::tenantId).containsExactly(A, B);
  }

  @Test
  void twoRollupJobsAtOnceGiveTheResultOfOne() throws Exception {
    FakeClock clock = FakeClock.create();
    RandomUsage usage = new RandomUsage(2_000, 5);
    clock.advance(Duration.between(clock.instant(), usage.start()));
    Metering one = instance(clock);
    Metering two = instance(clock);
    usage.record(one, clock);
    Map<String, Object> before = usage.snapshot(one.queries(), false);
    clock.advance(Duration.between(clock.instant(), usage.end().plus(Duration.ofHours(3))));

    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<RollupReport>> runs = new ArrayList<>();
      for (Metering m : List.of(one, two)) {
        runs.add(
            pool.submit(
                () -> {
                  start.await();
                  return m.rollups().run();
                }));
      }
      long ran = 0;
      for (Future<RollupReport> f : runs) {
        ran += f.get().ran() ? 1 : 0;
      }
      assertThat(ran).isPositive();
    } finally {
      pool.shutdown();
    }
    assertThat(usage.snapshot(one.queries(), false)).isEqualTo(before);
    assertThat(usage.snapshot(two.queries(), false)).isEqualTo(before);
    assertThat(two.rollups().run().hoursRolledUp()).isZero();
    assertThat(one.rollups().lastRun()).isPresent();
  }

  @Test
  void concurrentUpsertsOfTheSameRollupsDoNotFail() throws Exception {
    JdbcUsageStore s1 = JdbcUsageStore.builder(db).build();
    JdbcUsageStore s2 = JdbcUsageStore.builder(db).build();
    Instant h = Instant.parse("2026-03-02T10:00:00Z");
    // Rollups are written only for a tenant the store knows, one that appended an event.
    s1.append(
        List.of(
            new NewEvent(
                new UsageEvent(A, "tokens", BigDecimal.ONE, h, "a", Map.of(), Map.of(), null, null),
                "a".repeat(64),
                h)));
    List<Rollup> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(
          new Rollup(
              A,
              "tokens",
              Granularity.HOUR,
              h,
              "model",
              "m" + i,
              i + 1,
              BigDecimal.valueOf(i),
              BigDecimal.ONE,
              h,
              1,
              BigDecimal.ONE,
              null,
              null));
    }
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (JdbcUsageStore s : List.of(s1, s2)) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int round = 0; round < 20; round++) {
                    s.writeRollups(A, rows, h.plusSeconds(3600));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(s1.rollups(A, "tokens", Granularity.HOUR, h, h.plusSeconds(1), "model"))
        .hasSize(50)
        .allSatisfy(
            r ->
                assertThat(r.count())
                    .isEqualTo(Long.parseLong(r.dimensionValue().substring(1)) + 1));
  }
}
