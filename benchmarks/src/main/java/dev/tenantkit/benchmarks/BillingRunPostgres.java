package dev.tenantkit.benchmarks;

import dev.tenantkit.benchmarks.internal.BenchDatabase;
import dev.tenantkit.benchmarks.internal.HeapWatch;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.jdbc.JdbcPlanVersionStore;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.run.BillingInputs;
import dev.tenantkit.billing.run.BillingRunner;
import dev.tenantkit.billing.run.PeriodBiller;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.usage.ChargeUsageReader;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
 * A billing run for March 2026 over {@link #tenants} tenants (10,000 by default) on PostgreSQL:
 * {@link BillingRunner#run} on {@link JdbcBillingStore}, with usage read from {@link
 * JdbcUsageStore}, as the application role under row-level security. Each tenant subscribes to the
 * default Starter plan ($29 a month, overage on files, storage and API calls) from March 1st and
 * has six raw events in March: files held at 800 then 900, or 1,100 for every other tenant (an
 * overage line of 100 x 0.50), 5 GiB stored, and three API calls. Setup takes 15 to 60 seconds
 * (subscriptions through the store from four threads, events in one SQL statement). Each invoice is
 * March's overage (if any) and April's fee in advance.
 *
 * <p>Each iteration is one run (single shot); before it the invoice and run tables are emptied, so
 * every iteration bills every tenant (a run over a billed month would only find each invoice
 * there). After it, the invoices are counted: one per tenant, or the benchmark fails. Two ways
 * beside the runner, in the same run:
 *
 * <ul>
 *   <li>{@link #naiveHoldAll}: what a billing job written without the runner does: every
 *       subscription read in one query into a list, every invoice computed by the same {@link
 *       PeriodBiller} and held in a list, then each stored under the run's idempotency key. No
 *       lease, no progress record, no balance or correction reads: less work per tenant, but it
 *       holds 10,000 subscriptions and invoices at once.
 *   <li>{@link #jdbcInsertFloor}: the floor of writing the invoices: one real invoice's row
 *       inserted once per tenant (new ids and keys) in JDBC batches of 500, as the superuser (no
 *       row-level security), one transaction; no usage read, nothing computed.
 * </ul>
 *
 * <p>Heap: {@link HeapWatch} measures each iteration, from after a full collection before it to the
 * end of the run; the numbers are printed by the iteration's teardown (lines starting {@code
 * heap:}), not JMH results, with the transactions committed per tenant ({@code transactions:},
 * approximate). The streaming claim is shown by the heap limit the fork runs with ({@code -Xmx256m}
 * unless {@code -jvmArgsAppend} sets another) and by the heap in use after each collection, which
 * does not grow with the tenants.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
@Threads(1)
@State(Scope.Benchmark)
public class BillingRunPostgres {
  static final YearMonth MARCH = YearMonth.of(2026, 3);
  static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
  static final Instant RUN_AT = Instant.parse("2026-04-01T00:10:00Z");
  private static final Issuer ISSUER = new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "TK");
  private static final int FLOOR_BATCH = 500;
  private static final int SETUP_THREADS = 4;
  private static final int EVENTS_PER_TENANT = 6;
  private static final long MIB = 1L << 20;

  /** Tenants, each with a subscription and March's usage. */
  @Param("10000")
  public int tenants;

  private BenchDatabase db;
  private Metering metering;
  private JdbcBillingStore store;
  private JdbcPlanVersionStore plans;
  private PlanVersion starter;
  private PeriodBiller biller;
  private FakeClock clock;
  private HeapWatch heap;
  private String invoiceDocument;
  private long commitsBefore;

  /**
   * Creates the database, publishes Starter, subscribes every tenant through the store and writes
   * March's usage; the clock stands at {@link #RUN_AT}, after March's end.
   */
  @Setup(Level.Trial)
  public void setUp() {
    db = BenchDatabase.create(4, "off");
    clock = FakeClock.at(RUN_AT);
    metering =
        Metering.builder()
            .store(JdbcUsageStore.builder(db.app()).build())
            .catalog(meters())
            .clock(clock)
            .rawRetention(Duration.ofDays(365))
            .build();
    store = JdbcBillingStore.builder(db.app()).build();
    plans = JdbcPlanVersionStore.builder(db.app()).migrate(false).clock(clock).build();
    PriceCatalog catalog = PriceCatalog.defaults();
    starter = plans.publish("starter", catalog.requirePrices("starter"));
    biller = PeriodBiller.of(ChargeUsageReader.of(metering.queries()), catalog.limits());
    long began = System.nanoTime();
    subscribeAll();
    long subscribed = System.nanoTime();
    recordUsage();
    analyze();
    invoiceDocument = sampleInvoiceDocument();
    heap = new HeapWatch();
    System.out.printf(
        Locale.ROOT,
        "%nsetup: %d subscriptions in %d ms, %d events in %d ms%n",
        tenants,
        TimeUnit.NANOSECONDS.toMillis(subscribed - began),
        tenants * EVENTS_PER_TENANT,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - subscribed));
  }

  /** One subscription per tenant through the store, from {@link #SETUP_THREADS} threads. */
  private void subscribeAll() {
    ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < SETUP_THREADS; w++) {
        int first = w;
        done.add(
            pool.submit(
                () -> {
                  for (int t = first; t < tenants; t += SETUP_THREADS) {
                    store.insertSubscription(
                        Subscription.builder(tenant(t), starter, START).trialDays(0).build());
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while subscribing", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("subscribing failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  static TenantId tenant(int t) {
    return TenantId.of(String.format(Locale.ROOT, "t%05d", t));
  }

  private static MeterCatalog meters() {
    return MeterCatalog.builder()
        .add(MeterDefinition.builder("files").unit("files").aggregation(Aggregation.LATEST).build())
        .add(Meters.STORAGE_BYTES)
        .add(
            MeterDefinition.builder("api_calls")
                .unit("calls")
                .aggregation(Aggregation.COUNT)
                .build())
        .build();
  }

  /**
   * Six raw events per tenant at five moments of March, written by one SQL statement as the
   * superuser, the rows {@link JdbcUsageStore} writes (the tenant registered, each event with its
   * own key) without the idempotency key table, which no query reads: recording 60,000 events
   * through the meter is {@code IngestBulkPostgres}'s subject, not this benchmark's setup.
   */
  private void recordUsage() {
    try (Connection c = db.admin().getConnection()) {
      c.setAutoCommit(true);
      try (PreparedStatement events =
              c.prepareStatement(
                  "insert into tenantkit_metering_events (tenant_id, meter, ts, quantity,"
                      + " idempotency_key, dimensions, properties, recorded_at)"
                      + " select 't' || lpad(g::text, 5, '0'), e.meter, e.ts::timestamptz,"
                      + " case when e.n = 4 and g % 2 = 0 then 1100 else e.q end,"
                      + " 'setup-' || e.n, '{}', '{}', e.ts::timestamptz"
                      + " from generate_series(0, ? - 1) as g cross join (values"
                      + " (1, 'files', '2026-03-03T10:00:00Z', 800),"
                      + " (2, 'storage_bytes', '2026-03-05T10:00:00Z', 5368709120),"
                      + " (3, 'api_calls', '2026-03-12T10:00:00Z', 1),"
                      + " (4, 'files', '2026-03-20T10:00:00Z', 900),"
                      + " (5, 'api_calls', '2026-03-28T10:00:00Z', 1),"
                      + " (6, 'api_calls', '2026-03-31T10:00:00Z', 1))"
                      + " as e(n, meter, ts, q)");
          PreparedStatement registered =
              c.prepareStatement(
                  "insert into tenantkit_metering_tenants (tenant_id)"
                      + " select 't' || lpad(g::text, 5, '0') from generate_series(0, ? - 1) as g")) {
        events.setInt(1, tenants);
        int rows = events.executeUpdate();
        registered.setInt(1, tenants);
        registered.executeUpdate();
        if (rows != tenants * EVENTS_PER_TENANT) {
          throw new IllegalStateException(rows + " events written");
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("writing the usage failed", e);
    }
  }

  private void analyze() {
    try (Connection c = db.admin().getConnection();
        Statement s = c.createStatement()) {
      s.execute("analyze");
    } catch (SQLException e) {
      throw new IllegalStateException("analyze failed", e);
    }
  }

  /** One invoice's stored document, for the floor's rows; the table is emptied before each run. */
  private String sampleInvoiceDocument() {
    Subscription s = store.subscription(tenant(0)).orElseThrow().value();
    Invoice one = biller.bill("sample", s, starter, march(s), BillingInputs.NONE);
    store.insertDraft(one, "sample");
    try (Connection c = db.admin().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("select document from tenantkit_billing_invoices")) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the sample invoice", e);
    }
  }

  private static BillingPeriod march(Subscription s) {
    return s.periods().containing(LocalDate.of(2026, 3, 15));
  }

  /** Empties the invoices and runs, then collects garbage and starts watching the heap. */
  @Setup(Level.Iteration)
  public void emptyInvoices() {
    try (Connection c = db.admin().getConnection();
        Statement s = c.createStatement()) {
      s.execute("truncate tenantkit_billing_invoices, tenantkit_billing_runs cascade");
    } catch (SQLException e) {
      throw new IllegalStateException("truncate failed", e);
    }
    commitsBefore = commits();
    System.gc();
    heap.start();
  }

  /**
   * The transactions committed in the database so far ({@code pg_stat_database}, which backends
   * report within about a second; approximate, for the round trips a run makes per tenant).
   */
  private long commits() {
    try (Connection c = db.admin().getConnection();
        PreparedStatement s =
            c.prepareStatement("select xact_commit from pg_stat_database where datname = ?")) {
      s.setString(1, db.name());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_database", e);
    }
  }

  /** Prints the heap the run needed and checks one invoice per tenant. */
  @TearDown(Level.Iteration)
  public void checkAndReport() throws InterruptedException {
    heap.stop();
    // Backends report their transaction counts when idle, within about a second.
    Thread.sleep(1_500);
    System.out.printf(
        Locale.ROOT,
        "%ntransactions: about %.1f per tenant%n",
        (commits() - commitsBefore) / (double) tenants);
    System.out.printf(
        Locale.ROOT,
        "%nheap: peak used %d MiB, peak after a collection %s, max heap %d MiB%n",
        heap.peakUsedBytes() / MIB,
        heap.peakAfterGcBytes() < 0 ? "(none ran)" : (heap.peakAfterGcBytes() / MIB) + " MiB",
        Runtime.getRuntime().maxMemory() / MIB);
    long stored = invoices();
    if (stored != tenants) {
      throw new IllegalStateException(stored + " invoices stored, not " + tenants);
    }
  }

  /** How many invoices are stored. */
  long invoices() {
    try (Connection c = db.admin().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from tenantkit_billing_invoices")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("count failed", e);
    }
  }

  /** Stops watching the heap, closes metering and drops the database. */
  @TearDown(Level.Trial)
  public void tearDown() {
    heap.close();
    metering.close();
    db.close();
  }

  /** The billing run: pages of 100 subscriptions, lease renewed and progress saved per tenant. */
  @Benchmark
  public BillingRunRecord tenantkitRun() {
    BillingRunRecord done =
        BillingRunner.builder(store, plans, biller, ISSUER)
            .clock(clock)
            .owner("bench")
            .build()
            .run(MARCH)
            .orElseThrow();
    if (done.status() != BillingRunRecord.Status.COMPLETED || done.invoicesCreated() != tenants) {
      throw new IllegalStateException("the run did not bill every tenant: " + done);
    }
    return done;
  }

  /** The baseline: every subscription and every invoice held in lists, then stored. */
  @Benchmark
  public int naiveHoldAll() {
    List<Subscription> all =
        store.activeSubscriptions(START.minus(Duration.ofDays(365)), null, tenants);
    List<Invoice> invoices = new ArrayList<>(all.size());
    for (Subscription s : all) {
      invoices.add(
          biller.bill(UUID.randomUUID().toString(), s, starter, march(s), BillingInputs.NONE));
    }
    int created = 0;
    for (Invoice i : invoices) {
      String key = "sub:" + i.tenant().value() + ":" + i.period().start() + ":period";
      if (store.insertDraft(i, key).created()) {
        created++;
      }
    }
    return created;
  }

  /** The floor: one invoice's row written {@link #tenants} times with plain JDBC batches. */
  @Benchmark
  public int jdbcInsertFloor() throws SQLException {
    int rows = 0;
    try (Connection c = db.admin().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement(
              "insert into tenantkit_billing_invoices (tenant_id, id, idempotency_key,"
                  + " period_start, period_end, status, currency, total, amount_due, issue_date,"
                  + " due_date, schema_version, document, version) values (?, ?, ?,"
                  + " date '2026-03-01', date '2026-04-01', 'draft', 'USD', 86.9, 86.9,"
                  + " date '2026-04-01', date '2026-05-01', 1, ?, 1)")) {
        for (int t = 0; t < tenants; t++) {
          String tenant = tenant(t).value();
          insert.setString(1, tenant);
          insert.setString(2, UUID.randomUUID().toString());
          insert.setString(3, "sub:" + tenant + ":2026-03-01:period");
          insert.setString(4, invoiceDocument);
          insert.addBatch();
          if ((t + 1) % FLOOR_BATCH == 0 || t == tenants - 1) {
            for (int n : insert.executeBatch()) {
              rows += n;
            }
          }
        }
      }
      c.commit();
    }
    return rows;
  }
}
