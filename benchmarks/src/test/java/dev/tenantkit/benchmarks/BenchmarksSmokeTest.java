package dev.tenantkit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.RecordOutcome;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs each benchmark's setup, one invocation of every benchmark method and its teardown, so the
 * benchmarks keep compiling and working as the code under them changes. Measures nothing.
 */
class BenchmarksSmokeTest {

  @Test
  void quotaLocalDecisionsAllowAndBucketsHaveTokens() {
    for (QuotaLocalBase bench :
        List.of(
            new QuotaLocal1Thread(),
            new QuotaLocal2ThreadsSameKey(),
            new QuotaLocal2ThreadsDistinctKeys())) {
      QuotaLocalBase.Shared shared = new QuotaLocalBase.Shared();
      shared.setUp();
      bench.setUp(shared);

      assertThat(bench.tenantkitAllowance(shared).allowed()).isTrue();
      assertThat(bench.tenantkitRate(shared).allowed()).isTrue();
      assertThat(bench.bucket4jAllowance()).isTrue();
      assertThat(bench.bucket4jAllowanceByTenant(shared)).isTrue();
      assertThat(bench.bucket4jRate()).isTrue();
      assertThat(bench.bucket4jRateByTenant(shared)).isTrue();
      assertThat(bench.tenantkitAllowanceFrozenClock(shared).allowed()).isTrue();
      assertThat(bench.tenantkitAllowanceMetrics(shared).allowed()).isTrue();
      assertThat(bench.tenantkitAllowanceTenantMetrics(shared).allowed()).isTrue();
      assertThat(bench.bucket4jAllowanceFrozenClock()).isTrue();
      assertThat(bench.clockRead()).isPositive();
    }
  }

  @Test
  void quotaPostgresDecisionsAllowOnEveryBackend() {
    for (String keys : List.of("distinct", "same")) {
      QuotaPostgres bench = new QuotaPostgres();
      QuotaPostgres.Db db = new QuotaPostgres.Db();
      db.keys = keys;
      db.synchronousCommit = "off";
      db.leaseBlock = 100;
      db.setUp();
      try {
        QuotaPostgres.Caller caller = new QuotaPostgres.Caller();
        caller.setUp(db);

        assertThat(bench.tenantkitAllowance(db, caller).allowed()).isTrue();
        assertThat(bench.tenantkitAllowanceLeased(caller).allowed()).isTrue();
        assertThat(bench.tenantkitRate(db, caller).allowed()).isTrue();
        assertThat(bench.bucket4jSelectForUpdate(caller)).isTrue();
        assertThat(bench.bucket4jAdvisoryLock(caller)).isTrue();
        assertThat(bench.bucket4jSelectForUpdateBatching(caller)).isTrue();
      } finally {
        db.tearDown();
      }
    }
  }

  @Test
  void leaseBoundsAdmitTheWholeLimitFromOneThreadAndNoMore() {
    QuotaLeaseBounds bench = new QuotaLeaseBounds();
    bench.limit = 50;
    bench.leaseBlock = 10;
    bench.setUp();
    try {
      QuotaLeaseBounds.Worker worker = new QuotaLeaseBounds.Worker();
      worker.setUp(bench);
      bench.nextTenant();

      assertThat(bench.consumeUntilDenied(worker)).isEqualTo(50);
      assertThat(bench.admitted()).isEqualTo(50);
      bench.report();
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void bufferedRecordQueuesAndCloseFlushesToTheStore() {
    IngestBuffered bench = new IngestBuffered();
    bench.bufferCapacity = 1024;
    bench.setUp();

    assertThat(bench.record().status()).isEqualTo(RecordOutcome.Status.QUEUED);
    assertThat(bench.buildAndRecord().status()).isEqualTo(RecordOutcome.Status.QUEUED);
    bench.tearDown();

    assertThat(bench.stored()).isEqualTo(2);
  }

  @Test
  void bulkIngestionStoresAWholeBatchBothWays() {
    IngestBulkPostgres bench = new IngestBulkPostgres();
    IngestBulkPostgres.Db db = new IngestBulkPostgres.Db();
    db.synchronousCommit = "off";
    db.setUp();
    try {
      db.truncate();
      IngestBulkPostgres.EventBatch events = new IngestBulkPostgres.EventBatch();
      events.next();
      IngestBulkPostgres.CopyBatch rows = new IngestBulkPostgres.CopyBatch();
      rows.next();

      assertThat(bench.tenantkitRecordAll(db, events)).hasSize(IngestBulkPostgres.BATCH);
      assertThat(bench.copy(db, rows)).isEqualTo(IngestBulkPostgres.BATCH);
    } finally {
      db.tearDown();
    }
  }

  @Test
  void durableRecordIsAccepted() {
    IngestDurablePostgres bench = new IngestDurablePostgres();
    IngestDurablePostgres.Db db = new IngestDurablePostgres.Db();
    db.synchronousCommit = "on";
    db.setUp();
    try {
      db.truncate();
      IngestDurablePostgres.Caller caller = new IngestDurablePostgres.Caller();
      caller.setUp(db);

      assertThat(bench.tenantkitRecord(db, caller).status())
          .isEqualTo(RecordOutcome.Status.ACCEPTED);
      assertThat(bench.tenantkitRecord(db, caller).status())
          .isEqualTo(RecordOutcome.Status.ACCEPTED);
    } finally {
      db.tearDown();
    }
  }

  @Test
  void monthTotalFromRollupsEqualsTheSumOfRawEvents() {
    UsageMonthTotal bench = new UsageMonthTotal();
    bench.events = 10_000;
    bench.setUp();
    try {
      BigDecimal expected = bench.expected();

      assertThat(expected).isPositive();
      assertThat(bench.tenantkitTotal()).isEqualByComparingTo(expected);
      assertThat(bench.sqlSumOverRawEvents()).isEqualByComparingTo(expected);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void operatorTotalsAgreeWhetherAskedForAllMetersOrOneByOne() {
    UsageConsumersPostgres bench = new UsageConsumersPostgres();
    bench.tenants = 20;
    bench.setUp();
    try {
      assertThat(bench.allMetersAtOnce()).isEqualTo(bench.oneCallPerMeter());
      assertThat(bench.allMetersAtOnce().get("tokens").total()).isEqualByComparingTo("210");
      assertThat(bench.allMetersAtOnce().get("api_calls").tenants()).isEqualTo(20);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void aBatchPostedOverHttpIsAcceptedWhole() throws Exception {
    IngestHttpPostgres bench = new IngestHttpPostgres();
    IngestHttpPostgres.Server server = new IngestHttpPostgres.Server();
    server.batchSize = 100;
    server.synchronousCommit = "off";
    server.setUp();
    try {
      server.truncate();
      IngestHttpPostgres.Client client = new IngestHttpPostgres.Client();
      client.setUp(server);
      assertThat(bench.tenantkitPostBatch(server, client)).isEqualTo(200);
    } finally {
      server.tearDown();
    }
  }

  @Test
  void invoiceCalculationAgreesToTheCentThreeWays() {
    InvoiceCalculation bench = new InvoiceCalculation();
    bench.setUp();
    try {
      assertThat(bench.pricingAndCalculator().total().minorUnitsAmount())
          .isEqualTo(InvoiceCalculation.TOTAL_CENTS);
      assertThat(bench.periodBillerEndToEnd().lines()).hasSize(7);
      assertThat(bench.periodBillerEndToEnd().total())
          .isEqualTo(bench.pricingAndCalculator().total());
      assertThat(bench.longMinorUnitsControl()).isEqualTo(InvoiceCalculation.TOTAL_CENTS);
    } finally {
      bench.tearDown();
    }
  }

  @Test
  void billingRunsBillEveryTenantOnceEachWay() throws Exception {
    BillingRunPostgres bench = new BillingRunPostgres();
    bench.tenants = 20;
    bench.setUp();
    try {
      bench.emptyInvoices();
      assertThat(bench.tenantkitRun().invoicesCreated()).isEqualTo(20);
      bench.checkAndReport();
      bench.emptyInvoices();
      assertThat(bench.naiveHoldAll()).isEqualTo(20);
      bench.checkAndReport();
      bench.emptyInvoices();
      assertThat(bench.jdbcInsertFloor()).isEqualTo(20);
      bench.checkAndReport();
    } finally {
      bench.tearDown();
    }
  }
}
