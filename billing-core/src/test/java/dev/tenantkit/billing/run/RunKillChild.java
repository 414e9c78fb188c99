package dev.tenantkit.billing.run;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.testkit.MeteringSetup;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.jobs.JobLeases;
import dev.tenantkit.tenancy.jobs.JobRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The child JVM of {@link RunKillTest}: runs March's billing run on an H2 file and, after {@code n}
 * tenants, prints {@code BLOCKED} and waits on its standard input until it is killed, holding the
 * lease and leaving its run record running, as a crashed instance does.
 */
public final class RunKillChild {
  static final List<String> METERS = List.of("files", "storage_bytes", "api_calls");
  static final Issuer ISSUER = new Issuer("Tenantkit Ltd", List.of("1 Main St"), "", "TK");

  private RunKillChild() {}

  /** Arguments: the database directory, the tenants to bill before blocking. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    int blockAfter = Integer.parseInt(args[1]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    HikariDataSource db = EmbeddedDatabase.h2File(dir);
    JdbcBillingStore store = JdbcBillingStore.builder(db).build();
    try (Metering metering = metering()) {
      BillingRunner runner =
          runner(store, metering, "child")
              .leases(new BlockingLeases(store.jobLeases(), blockAfter, out))
              .build();
      var unused = runner.run(YearMonth.of(2026, 3));
      out.println("FINISHED");
    }
  }

  static Metering metering() {
    return MeteringSetup.metering(java.time.InstantSource.system());
  }

  static BillingRunner.Builder runner(JdbcBillingStore store, Metering metering, String owner) {
    PriceCatalog catalog = PriceCatalog.defaults();
    InMemoryPlanVersionStore plans = new InMemoryPlanVersionStore();
    catalog.publish(plans);
    PeriodBiller biller = MeteringSetup.biller(metering, catalog);
    return BillingRunner.builder(store, plans, biller, ISSUER).owner(owner).pageSize(7);
  }

  /** Renews until {@code n} tenants are done, then blocks the run until the process dies. */
  private static final class BlockingLeases implements JobLeases {
    private final JobLeases delegate;
    private final AtomicInteger left;
    private final PrintStream out;

    BlockingLeases(JobLeases delegate, int n, PrintStream out) {
      this.delegate = delegate;
      this.left = new AtomicInteger(n);
      this.out = out;
    }

    @Override
    public boolean acquire(String name, String owner, Instant now, Instant expiresAt) {
      return delegate.acquire(name, owner, now, expiresAt);
    }

    @Override
    public boolean renew(String name, String owner, Instant now, Instant expiresAt) {
      if (left.getAndDecrement() == 0) {
        out.println("BLOCKED");
        try {
          int unused = System.in.read();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }
      return delegate.renew(name, owner, now, expiresAt);
    }

    @Override
    public void release(String name, String owner, JobRun run) {
      delegate.release(name, owner, run);
    }

    @Override
    public Optional<JobRun> lastRun(String name) {
      return delegate.lastRun(name);
    }
  }
}
