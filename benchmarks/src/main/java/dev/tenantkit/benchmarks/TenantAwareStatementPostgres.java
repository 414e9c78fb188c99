package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.JdbcTenancyStore;
import dev.tenantkit.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link TenantAwareDataSource} costs per statement on PostgreSQL: a primary-key select on a
 * host table under row-level security, from a pooled connection taken per call as a request would.
 *
 * <ul>
 *   <li>{@code statementAlone}: the select with no tenant setting at all, as a role that bypasses
 *       row-level security: the floor, one round trip;
 *   <li>{@code tenantAwareAutoCommit}: through the wrapper in auto-commit mode, which runs {@code
 *       set_config}, the select and {@code commit} as one transaction of their own;
 *   <li>{@code tenantAwareTransaction} and {@code byHandTransaction}: ten selects in one
 *       transaction, through the wrapper, and with the {@code set_config} written by hand (the
 *       peer: what an app doing row-level security itself runs); per select.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class TenantAwareStatementPostgres {
  private static final String SELECT = "select name from projects where tenant_id = ? and id = ?";
  private static final int TENANTS = 10;
  private static final int ROWS = 100;
  private static final int BATCH = 10;

  private BenchDatabase db;
  private DataSource tenantAware;
  private TenantId tenant;
  private int next;

  /** Creates {@value #TENANTS} tenants' {@value #ROWS} rows each under row-level security. */
  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    db = BenchDatabase.create(2, "off");
    JdbcTenancyStore.builder(db.app()).build();
    try (Connection c = db.app().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create table projects (tenant_id varchar(64) not null, id integer not null,"
              + " name text not null, primary key (tenant_id, id))");
      s.execute("select tenantkit_enable_rls('projects')");
    }
    try (Connection c = db.admin().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "insert into projects select 't' || t, i, 'p' || i from generate_series(0, "
              + (TENANTS - 1)
              + ") t, generate_series(0, "
              + (ROWS - 1)
              + ") i");
      s.execute("analyze projects");
    }
    tenantAware = TenantAwareDataSource.wrap(db.app());
    tenant = TenantId.of("t3");
  }

  /** Drops the database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    db.close();
  }

  private int nextId() {
    next = (next + 7) % ROWS;
    return next;
  }

  /** The floor: the select alone, no tenant setting, as a role that bypasses row-level security. */
  @Benchmark
  public String statementAlone() throws SQLException {
    try (Connection c = db.admin().getConnection()) {
      return select(c, nextId());
    }
  }

  /** Through the wrapper in auto-commit mode. */
  @Benchmark
  public String tenantAwareAutoCommit() {
    return TenantContext.call(
        tenant,
        () -> {
          try (Connection c = tenantAware.getConnection()) {
            return select(c, nextId());
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Ten selects in one transaction through the wrapper; the score is per select. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public String tenantAwareTransaction() {
    return TenantContext.call(
        tenant,
        () -> {
          try (Connection c = tenantAware.getConnection()) {
            c.setAutoCommit(false);
            String last = selectBatch(c);
            c.commit();
            return last;
          } catch (SQLException e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** The peer: ten selects in one transaction with {@code set_config} by hand; per select. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public String byHandTransaction() throws SQLException {
    try (Connection c = db.app().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement set =
          c.prepareStatement("select set_config('tenantkit.tenant_id', ?, true)")) {
        set.setString(1, tenant.value());
        set.executeQuery().close();
      }
      String last = selectBatch(c);
      c.commit();
      return last;
    }
  }

  private String selectBatch(Connection c) throws SQLException {
    String last = null;
    for (int i = 0; i < BATCH; i++) {
      last = select(c, nextId());
    }
    return last;
  }

  private String select(Connection c, int id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SELECT)) {
      s.setString(1, tenant.value());
      s.setInt(2, id);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          throw new IllegalStateException("row " + id + " of " + tenant + " not visible");
        }
        return rs.getString(1);
      }
    }
  }
}
