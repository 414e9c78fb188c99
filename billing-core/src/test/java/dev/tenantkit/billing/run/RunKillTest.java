package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.jdbc.JdbcBillingStore;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.spi.BillingRunRecord;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a billing run's JVM with SIGKILL in the middle of the run, then runs it again in this JVM
 * on the same H2 file: the run resumes after its stored cursor, and every tenant has exactly one
 * invoice, numbered without a gap once finalized.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RunKillTest {
  private static final int TENANTS = 25;
  private static final int BEFORE_KILL = 11;

  @TempDir Path dir;

  @Test
  void aKilledRunIsResumedAndBillsEveryTenantOnce() throws Exception {
    List<TenantId> tenants = new ArrayList<>();
    PlanVersion starter =
        PlanVersion.of("starter", 1, PriceCatalog.defaults().requirePrices("starter"));
    try (HikariDataSource db = EmbeddedDatabase.h2File(dir)) {
      JdbcBillingStore store = JdbcBillingStore.builder(db).build();
      for (int i = 0; i < TENANTS; i++) {
        TenantId t = TenantId.of(String.format("k%02d", i));
        tenants.add(t);
        store.insertSubscription(
            Subscription.builder(t, starter, Instant.parse("2026-03-01T00:00:00Z"))
                .trialDays(0)
                .build());
      }
    }

    killChildWhenBlocked();

    try (HikariDataSource db = EmbeddedDatabase.h2File(dir);
        Metering metering = RunKillChild.metering()) {
      JdbcBillingStore store = JdbcBillingStore.builder(db).migrate(false).build();
      // Past the dead child's lease (5 minutes from its real clock).
      FakeClock clock = FakeClock.at(Instant.now().plus(Duration.ofHours(1)));
      BillingRunner runner = RunKillChild.runner(store, metering, "parent").clock(clock).build();
      BillingRunRecord crashed = runner.latest(YearMonth.of(2026, 3)).orElseThrow();
      assertThat(crashed.status()).isEqualTo(BillingRunRecord.Status.RUNNING);
      assertThat(crashed.owner()).isEqualTo("child");
      assertThat(crashed.tenantsDone()).isEqualTo(BEFORE_KILL);
      assertThat(crashed.cursor()).isEqualTo(tenants.get(BEFORE_KILL - 1));

      BillingRunRecord resumed = runner.run(YearMonth.of(2026, 3)).orElseThrow();

      assertThat(resumed.id()).isEqualTo(crashed.id());
      assertThat(resumed.status()).isEqualTo(BillingRunRecord.Status.COMPLETED);
      assertThat(resumed.tenantsDone()).isEqualTo(TENANTS);
      assertThat(resumed.invoicesCreated()).isEqualTo(TENANTS);
      assertThat(runner.finalizeDue(clock.instant())).isEqualTo(TENANTS);
      Set<Integer> numbers = new HashSet<>();
      for (TenantId t : tenants) {
        List<Invoice> invoices = store.invoices(t, null, 10).items();
        assertThat(invoices).as(t.value()).hasSize(1);
        numbers.add(invoices.get(0).number().sequence());
      }
      assertThat(numbers)
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, TENANTS).boxed().toList());
    }
  }

  private void killChildWhenBlocked() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RunKillChild.class.getName(),
                dir.toString(),
                Integer.toString(BEFORE_KILL))
            .redirectError(dir.resolve("child-stderr.txt").toFile())
            .start();
    boolean killed = false;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.equals("BLOCKED") && !killed) {
          p.toHandle().destroyForcibly();
          killed = true;
        }
      }
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    assertThat(killed).as("the child blocked before it was killed").isTrue();
  }
}
