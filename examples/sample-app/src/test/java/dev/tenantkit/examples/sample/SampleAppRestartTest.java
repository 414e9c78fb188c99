package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Billing;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the sample app twice on one data dir, as its {@code main} would, and checks what the first
 * start prints and keeps, and that the second start keeps it.
 */
class SampleAppRestartTest {
  @TempDir Path dataDir;

  @Test
  void aRestartKeepsTenantsAndTheOperatorKeyAndDoesNotRecreateTheDemoTenants() throws Exception {
    String operatorKey;
    List<String> demoKeys;
    String demoKeysFile;
    Path keyFile = dataDir.resolve("operator-key");
    try (Started first = start()) {
      operatorKey = first.context().getEnvironment().getProperty("tenantkit.operator-key");
      assertThat(operatorKey).hasSizeGreaterThanOrEqualTo(32);
      assertThat(Files.readString(keyFile).strip()).isEqualTo(operatorKey);
      assertThat(Files.getPosixFilePermissions(keyFile))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

      demoKeysFile = Files.readString(dataDir.resolve("demo-keys.txt"));
      demoKeys = SampleAppTest.demoKeys(demoKeysFile);
      assertThat(demoKeys).hasSize(2);
      assertThat(first.output())
          .contains("first start", "Operator key: " + operatorKey)
          .contains("curl -H 'Authorization: Bearer " + demoKeys.get(0) + "' http://localhost:")
          .contains("curl -H 'Authorization: Bearer " + demoKeys.get(1) + "' http://localhost:")
          .contains("curl -H \"Authorization: Bearer " + operatorKey + "\" http://localhost:")
          .contains(
              "Metrics (this machine only): curl http://127.0.0.1:"
                  + first.context().getEnvironment().getProperty("local.management.port")
                  + "/actuator/metrics");
      assertThat(first.http().get("/api/tenant", "X-Api-Key", demoKeys.get(0)).status())
          .isEqualTo(200);
    }

    try (Started second = start()) {
      assertThat(second.context().getEnvironment().getProperty("tenantkit.operator-key"))
          .isEqualTo(operatorKey);
      assertThat(second.output())
          .contains("exist already", "demo-keys.txt", "Operator key: kept in " + keyFile)
          .contains("Metrics (this machine only): curl http://127.0.0.1:")
          .doesNotContain(operatorKey)
          .doesNotContain(demoKeys.get(0))
          .doesNotContain(demoKeys.get(1));
      assertThat(Files.readString(dataDir.resolve("demo-keys.txt"))).isEqualTo(demoKeysFile);

      Http http = second.http();
      assertThat(http.get("/api/tenant", "X-Api-Key", demoKeys.get(0)).json().get("id").asText())
          .isEqualTo("acme");
      assertThat(http.get("/api/tenant", "X-Api-Key", demoKeys.get(1)).json().get("id").asText())
          .isEqualTo("globex");
      assertThat(http.get("/admin/tenants", "Authorization", "Bearer " + operatorKey).status())
          .isEqualTo(200);
      Tenancy tenancy = second.context().getBean(Tenancy.class);
      assertThat(tenancy.apiKeys().list(TenantId.of("acme"))).hasSize(1);
      assertThat(tenancy.apiKeys().list(TenantId.of("globex"))).hasSize(1);
    }
  }

  @Test
  void demoTenantsOfADataDirOlderThanBillingAreSubscribedOnTheNextStart() {
    try (Started before = start("--tenantkit.billing.enabled=false")) {
      assertThat(before.context().getBeansOfType(Billing.class)).isEmpty();
    }
    try (Started after = start()) {
      Billing billing = after.context().getBean(Billing.class);
      assertThat(billing.subscription(TenantId.of("acme")).orElseThrow().planId())
          .isEqualTo("free");
      assertThat(billing.subscription(TenantId.of("globex")).orElseThrow().planId())
          .isEqualTo("starter");
    }
  }

  @Test
  void aConfiguredOperatorKeyIsUsedAndNeverWrittenToDisk() throws Exception {
    String configured = "configured-operator-key-0123456789";
    try (Started app = start("--tenantkit.operator-key=" + configured)) {
      assertThat(Files.exists(dataDir.resolve("operator-key"))).isFalse();
      assertThat(app.output())
          .contains("Operator key: as configured (TENANTKIT_OPERATOR_KEY)")
          .doesNotContain(configured);
      assertThat(app.http().get("/admin/tenants", "Authorization", "Bearer " + configured).status())
          .isEqualTo(200);
    }
  }

  /**
   * Two instances share a data dir: a start must not delete the other's upload in progress (its
   * commit then failed with a 500), only a temporary file a crash left an hour or more ago.
   */
  @Test
  void aStartRemovesOnlyStaleUploadLeftovers() throws Exception {
    Path dir = Files.createDirectories(dataDir.resolve("files").resolve("acme"));
    Path crashed = Files.writeString(dir.resolve(".upload-crashed.tmp"), "old");
    Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
    Path inProgress = Files.writeString(dir.resolve(".upload-in-progress.tmp"), "new");
    try (Started app = start()) {
      assertThat(crashed).doesNotExist();
      assertThat(inProgress).exists();
    }
  }

  @Test
  void aDamagedOperatorKeyFileStopsStartupSayingWhatToDo() throws Exception {
    Files.writeString(dataDir.resolve("operator-key"), "short\n");
    assertThatThrownBy(this::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds no usable operator key")
        .hasMessageContaining("Delete the file");
  }

  private Started start(String... extraArgs) {
    String[] args = new String[extraArgs.length + 2];
    args[0] = "--server.port=0";
    args[1] = "--tenantkit.data-dir=" + dataDir;
    System.arraycopy(extraArgs, 0, args, 2, extraArgs.length);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
    try {
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(SampleApplication.class).run(args);
      return new Started(context, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  /** A running app and what it printed while starting. */
  private record Started(ConfigurableApplicationContext context, String output)
      implements AutoCloseable {
    Http http() {
      return new Http(((WebServerApplicationContext) context).getWebServer().getPort());
    }

    @Override
    public void close() {
      context.close();
    }
  }

  /** Writes to the console and to a buffer, so the test output still shows what the app says. */
  private static final class Tee extends java.io.OutputStream {
    private final PrintStream console;
    private final ByteArrayOutputStream buffer;

    Tee(PrintStream console, ByteArrayOutputStream buffer) {
      this.console = console;
      this.buffer = buffer;
    }

    @Override
    public synchronized void write(int b) {
      console.write(b);
      buffer.write(b);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      console.write(b, off, len);
      buffer.write(b, off, len);
    }
  }
}
