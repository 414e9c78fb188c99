package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The process {@link KillTest} kills: records events to an H2 file database forever and prints
 * {@code ACK <key>} for each event its meter acknowledged. In mode {@code graceful} it records
 * buffered events and, like a host application, closes metering and then the pool in a shutdown
 * hook.
 */
public final class KillChild {
  static final int BUFFER = 200;
  static final TenantId TENANT = TenantId.of("acme");

  private KillChild() {}

  /**
   * @param args the database directory, then {@code durable}, {@code buffered} or {@code graceful}
   */
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    String meter = args[1].equals("durable") ? "tokens" : "clicks";
    HikariDataSource db = EmbeddedDatabase.h2File(dir);
    Metering m =
        Metering.builder()
            .store(JdbcUsageStore.builder(db).build())
            .catalog(TestMeters.catalog())
            .buffer(BUFFER, Duration.ofMillis(20), Backpressure.BLOCK)
            .build();
    if (args[1].equals("graceful")) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    m.close();
                    db.close();
                  }));
    }
    PrintStream out = System.out;
    out.println("READY");
    out.flush();
    for (long i = 0; ; i++) {
      String key = "k" + i;
      m.usageMeter().record(UsageEvent.builder(TENANT, meter).idempotencyKey(key).build());
      out.println("ACK " + key);
      out.flush();
    }
  }
}
