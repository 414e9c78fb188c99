package dev.tenantkit.metering.quota.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.quota.spi.QuotaCell;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent changes of one quota row that {@link RowCombiner} merges into one call, when the
 * answer to that call is lost after PostgreSQL committed it: the charge is applied exactly once.
 */
class MergedChangesPostgresTest {
  private static final String LIMIT = "merged_calls";

  private final ExecutorService threads = Executors.newCachedThreadPool();
  private HikariDataSource pool;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void aMergedChangeWhoseAnswerIsLostAfterTheCommitIsChargedOnce() throws Exception {
    pool = PgDatabases.newPool();
    LosingDataSource db = new LosingDataSource(pool);
    JdbcQuotaStore store = JdbcQuotaStore.builder(db.dataSource()).build();
    TenantId tenant = TenantId.of("merged-a");
    QuotaCell cell = store.cell(tenant, LIMIT);
    // The row exists, so every change below takes the one-call fast path.
    assertThat(cell.tryAdd(0, 0, 100, QuotaStore.NO_OVERRIDE)).isZero();
    db.arm();

    // The first change holds the row; the next two queue behind it and are merged into one call,
    // which commits and then loses its connection before the answer arrives.
    Future<Long> first = threads.submit(() -> cell.tryAdd(0, 1, 100, QuotaStore.NO_OVERRIDE));
    assertThat(db.firstEntered.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Long> second = queued(() -> cell.tryAdd(0, 2, 100, QuotaStore.NO_OVERRIDE));
    Future<Long> third = queued(() -> cell.tryAdd(0, 3, 100, QuotaStore.NO_OVERRIDE));
    db.releaseFirst.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(third.get(10, TimeUnit.SECONDS)).isEqualTo(6);
    assertThat(db.lostAnswers.get()).as("the merged call's answer was lost").isEqualTo(1);
    // Applied part by part after the lost answer, 2 and 3 were charged twice: 11.
    assertThat(cell.counter(0)).isEqualTo(6);

    // The record that made the second call harmless is confined to its tenant and purged with it.
    long unbound =
        store
            .storage()
            .inTransaction(
                h ->
                    h.createQuery("select count(*) from tenantkit_quota_merged_changes")
                        .mapTo(Long.class)
                        .one());
    assertThat(unbound).as("no tenant bound: row-level security shows nothing").isZero();
    assertThat(records(store, tenant)).isEqualTo(1);
    store.purge(tenant);
    assertThat(records(store, tenant)).isZero();
  }

  @Test
  void recordsAnEarlierProcessLeftAreSweptByTheFirstMergedChangeOfTheTenant() {
    pool = PgDatabases.newPool();
    JdbcQuotaStore store = JdbcQuotaStore.builder(pool).build();
    TenantId tenant = TenantId.of("merged-b");
    TenantId other = TenantId.of("merged-c");
    QuotaCell cell = store.cell(tenant, LIMIT);
    assertThat(cell.tryAdd(0, 0, 100, QuotaStore.NO_OVERRIDE)).isZero();
    for (TenantId t : new TenantId[] {tenant, other}) {
      store
          .storage()
          .useTenantTransaction(
              t,
              h -> {
                h.execute(
                    "insert into tenantkit_quota_merged_changes (tenant_id, op_id, result,"
                        + " created_at) values (?, gen_random_uuid(), 1,"
                        + " now() - interval '2 hours')",
                    t.value());
                h.execute(
                    "insert into tenantkit_quota_merged_changes (tenant_id, op_id, result)"
                        + " values (?, gen_random_uuid(), 2)",
                    t.value());
              });
    }
    // A merged change of a row this process has not merged before (no record to forget).
    long used =
        store
            .storage()
            .inTenantTransaction(
                tenant,
                h ->
                    h.createQuery(
                            "select tenantkit_quota_try_add_once(?, ?, 0, 5, 100, -1,"
                                + " gen_random_uuid(), null)")
                        .bind(0, tenant.value())
                        .bind(1, LIMIT)
                        .mapTo(Long.class)
                        .one());
    assertThat(used).isEqualTo(5);
    // The hour-old record is gone, the recent one and the new one stay; other tenants are
    // untouched.
    assertThat(records(store, tenant)).isEqualTo(2);
    assertThat(records(store, other)).isEqualTo(2);
  }

  private static long records(JdbcQuotaStore store, TenantId tenant) {
    return store
        .storage()
        .inTenantTransaction(
            tenant,
            h ->
                h.createQuery("select count(*) from tenantkit_quota_merged_changes")
                    .mapTo(Long.class)
                    .one());
  }

  /** Submits a change from a new thread and returns once that thread waits in the combiner. */
  private Future<Long> queued(java.util.concurrent.Callable<Long> change) {
    CompletableFuture<Thread> started = new CompletableFuture<>();
    Future<Long> f =
        threads.submit(
            () -> {
              started.complete(Thread.currentThread());
              return change.call();
            });
    Thread t = started.join();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
    while (t.getState() != Thread.State.WAITING) {
      assertThat(Instant.now()).as("thread queued").isBefore(deadline);
      Thread.onSpinWait();
    }
    return f;
  }

  /**
   * A data source whose quota function calls, once armed, go: the first waits for {@link
   * #releaseFirst} before it runs; the second runs, commits, and then fails as a dropped connection
   * does (SQLState 08006), its answer lost; the others run as usual.
   */
  private static final class LosingDataSource {
    final CountDownLatch firstEntered = new CountDownLatch(1);
    final CountDownLatch releaseFirst = new CountDownLatch(1);
    final AtomicInteger lostAnswers = new AtomicInteger();
    private final DataSource delegate;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean armed;

    LosingDataSource(DataSource delegate) {
      this.delegate = delegate;
    }

    void arm() {
      armed = true;
    }

    /** The delegate, with the connections it hands out wrapped. */
    DataSource dataSource() {
      InvocationHandler h =
          (proxy, method, args) -> {
            Object r = forward(delegate, method, args);
            return method.getName().equals("getConnection") ? wrap((Connection) r) : r;
          };
      return (DataSource)
          Proxy.newProxyInstance(
              DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, h);
    }

    private Connection wrap(Connection c) {
      InvocationHandler h =
          (proxy, method, args) -> {
            Object r = forward(c, method, args);
            if (armed
                && method.getName().equals("prepareStatement")
                && args.length == 1
                && ((String) args[0]).startsWith("select tenantkit_quota_try")) {
              return statement((PreparedStatement) r);
            }
            return r;
          };
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private PreparedStatement statement(PreparedStatement ps) {
      InvocationHandler h =
          (proxy, method, args) -> {
            if (!method.getName().equals("executeQuery") || args != null) {
              return forward(ps, method, args);
            }
            int n = calls.incrementAndGet();
            if (n == 1) {
              firstEntered.countDown();
              releaseFirst.await();
            } else if (n == 2) {
              try (ResultSet rs = ps.executeQuery()) {
                rs.next();
              }
              lostAnswers.incrementAndGet();
              throw new SQLException("An I/O error occurred while sending to the backend", "08006");
            }
            return ps.executeQuery();
          };
      return (PreparedStatement)
          Proxy.newProxyInstance(
              PreparedStatement.class.getClassLoader(),
              new Class<?>[] {PreparedStatement.class},
              h);
    }

    private static Object forward(Object target, Method method, Object[] args) throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
