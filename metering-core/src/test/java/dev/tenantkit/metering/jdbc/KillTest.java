package dev.tenantkit.metering.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a recording JVM with {@code destroyForcibly()} (SIGKILL) mid-stream, or stops it with
 * {@code destroy()} (SIGTERM), then checks what was acknowledged against what the database kept.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KillTest {
  @TempDir Path dir;

  private Set<String> runAndKill(String mode, int acksBeforeKill) throws Exception {
    return runAndStop(mode, acksBeforeKill, true);
  }

  private Set<String> runAndStop(String mode, int acksBeforeStop, boolean forcibly)
      throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                KillChild.class.getName(),
                dir.toString(),
                mode)
            .redirectError(dir.resolve("child-stderr.txt").toFile())
            .start();
    Set<String> acked = new LinkedHashSet<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      boolean killed = false;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("ACK ")) {
          acked.add(line.substring(4));
          if (!killed && acked.size() >= acksBeforeStop) {
            // Through the handle: Process.destroyForcibly() would also close our end of the pipe,
            // and the keys the child printed just before it died must be read too.
            if (forcibly) {
              p.toHandle().destroyForcibly();
            } else {
              p.toHandle().destroy();
            }
            killed = true;
          }
        }
      }
      assertThat(killed).as("the child stopped before it was killed").isTrue();
    } finally {
      p.destroyForcibly();
      p.waitFor();
    }
    return acked;
  }

  private Set<String> storedKeys() {
    Set<String> keys = new HashSet<>();
    try (HikariDataSource db = EmbeddedDatabase.h2File(dir)) {
      JdbcUsageStore store = JdbcUsageStore.builder(db).build();
      store.scan(
          KillChild.TENANT,
          null,
          Instant.EPOCH,
          Instant.now().plusSeconds(3600),
          e -> keys.add(e.event().idempotencyKey()));
    }
    return keys;
  }

  @Test
  void everyAcknowledgedDurableEventSurvivesAKill() throws Exception {
    Set<String> acked = runAndKill("durable", 500);
    Set<String> stored = storedKeys();
    assertThat(acked).hasSizeGreaterThanOrEqualTo(500);
    assertThat(stored).containsAll(acked);
  }

  @Test
  void aStopWithSigtermLosesNoBufferedEvent() throws Exception {
    // The child's shutdown hook closes metering, which writes the buffer, and then the pool, as a
    // host application does; the database must not have closed itself first in H2's own hook.
    Set<String> acked = runAndStop("graceful", 2_000, false);
    Set<String> lost = new HashSet<>(acked);
    lost.removeAll(storedKeys());
    assertThat(acked).hasSizeGreaterThanOrEqualTo(2_000);
    assertThat(lost).isEmpty();
  }

  @Test
  void aKillLosesAtMostTheBufferOfBufferedEvents() throws Exception {
    Set<String> acked = runAndKill("buffered", 2_000);
    Set<String> lost = new HashSet<>(acked);
    lost.removeAll(storedKeys());
    assertThat(lost.size()).isLessThanOrEqualTo(KillChild.BUFFER);
  }
}
