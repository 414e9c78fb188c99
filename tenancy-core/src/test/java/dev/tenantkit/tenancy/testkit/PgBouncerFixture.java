package dev.tenantkit.tenancy.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PgBouncer in transaction pooling mode in front of a test database, started from the {@code
 * pgbouncer} binary (Debian's package {@code pgbouncer}), for tests of what holds behind a
 * transaction-mode pooler.
 *
 * <pre>{@code
 * try (PgBouncerFixture bouncer = PgBouncerFixture.transactionPool(database, 2)) {
 *   DataSource throughBouncer = bouncer.dataSource(database);
 * }
 * }</pre>
 *
 * <p>When the binary is missing the calling test is skipped with a JUnit assumption, unless the
 * environment variable {@value #REQUIRED} is {@code true} (CI sets it after installing the
 * package): then it fails. When the JVM runs as root, PgBouncer (which refuses to run as root) is
 * started with {@code -u nobody}. Not thread-safe; close it to stop the process.
 */
public final class PgBouncerFixture implements AutoCloseable {
  /** The environment variable that turns a missing PgBouncer from a skip into a failure. */
  public static final String REQUIRED = "TENANTKIT_REQUIRE_PGBOUNCER";

  private static final List<Path> BINARIES =
      List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/bin/pgbouncer"));

  private final Process process;
  private final Path dir;
  private final int port;
  private final List<String> log;

  private PgBouncerFixture(Process process, Path dir, int port, List<String> log) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts PgBouncer with {@code pool_mode = transaction} and at most {@code poolSize} server
   * connections per database, in front of {@code target}'s server (every database on it), for
   * {@code target}'s user (trusted, as the embedded server trusts local connections).
   *
   * @param target an unpooled data source such as {@link PostgresFixture#newDatabase()} returns
   * @param poolSize server connections per database and user
   * @throws IllegalStateException if PgBouncer does not come up within 30 s
   */
  public static PgBouncerFixture transactionPool(PGSimpleDataSource target, int poolSize) {
    Path binary = BINARIES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (binary == null) {
      String hint = "PgBouncer is not installed (apt-get install pgbouncer)";
      if ("true".equals(System.getenv(REQUIRED))) {
        throw new IllegalStateException(hint + " and " + REQUIRED + "=true");
      }
      Assumptions.abort(hint + "; CI installs it and sets " + REQUIRED + "=true");
    }
    try {
      return start(binary, target, poolSize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PgBouncer", e);
    }
  }

  private static PgBouncerFixture start(Path binary, PGSimpleDataSource target, int poolSize)
      throws IOException {
    Path dir = Files.createTempDirectory("pgbouncer");
    // PgBouncer may run as nobody (below), which must read its files.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    int port = freePort();
    Path users = dir.resolve("users.txt");
    Files.writeString(users, "\"" + target.getUser() + "\" \"\"\n");
    Path ini = dir.resolve("pgbouncer.ini");
    Files.writeString(
        ini,
        String.join(
            "\n",
            "[databases]",
            "* = host=127.0.0.1 port=" + target.getPortNumbers()[0],
            "[pgbouncer]",
            "listen_addr = 127.0.0.1",
            "listen_port = " + port,
            "unix_socket_dir =",
            "auth_type = trust",
            "auth_file = " + users,
            "pool_mode = transaction",
            "default_pool_size = " + poolSize,
            "min_pool_size = " + poolSize,
            "max_client_conn = 200",
            "server_reset_query =",
            "ignore_startup_parameters = extra_float_digits,options",
            ""));
    for (Path file : List.of(users, ini)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    List<String> command = new ArrayList<>(List.of(binary.toString()));
    if ("root".equals(System.getProperty("user.name"))) {
      command.addAll(List.of("-u", "nobody"));
    }
    command.add(ini.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> log = new ArrayList<>();
    CountDownLatch up = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  synchronized (log) {
                    log.add(line);
                  }
                  if (line.contains("process up")) {
                    up.countDown();
                  }
                }
              } catch (IOException e) {
                // The process ended; its output so far is in the log.
              }
            },
            "pgbouncer-log");
    reader.setDaemon(true);
    reader.start();
    PgBouncerFixture fixture = new PgBouncerFixture(process, dir, port, log);
    boolean started;
    try {
      started = up.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      started = false;
    }
    if (!started || !process.isAlive()) {
      fixture.close();
      throw new IllegalStateException("PgBouncer did not start: " + fixture.log());
    }
    return fixture;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * An unpooled data source that connects through PgBouncer to {@code database} (on the server this
   * PgBouncer fronts) as its user, with {@code prepareThreshold=0}: PgBouncer before 1.21 cannot
   * keep the driver's named server-side statements in transaction mode (Debian 12 ships 1.18).
   *
   * @param database a data source such as {@link PostgresFixture#newDatabase()} returns
   */
  public PGSimpleDataSource dataSource(PGSimpleDataSource database) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName(database.getDatabaseName());
    ds.setUser(database.getUser());
    ds.setPrepareThreshold(0);
    return ds;
  }

  /** What PgBouncer has printed so far, for failure messages. */
  public String log() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  /** Stops PgBouncer and deletes its files. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
