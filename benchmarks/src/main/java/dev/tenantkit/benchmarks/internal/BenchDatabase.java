package dev.tenantkit.benchmarks.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A fresh PostgreSQL database on one embedded server per JVM (each JMH fork is a JVM), with two
 * pools: {@link #app()} connects as a role that is neither superuser nor BYPASSRLS, so Tenantkit's
 * row-level security applies as in production; {@link #admin()} connects as the superuser, for
 * setup work that needs it ({@code COPY} into a table under row-level security, {@code TRUNCATE}).
 *
 * <p>The server keeps PostgreSQL's durability defaults ({@code fsync} on). {@code
 * synchronous_commit} is chosen per database: {@code off} makes a commit return before its WAL is
 * flushed (a crash may lose the last moments of commits, never consistency), which measures the
 * libraries rather than the disk; {@code on} measures what a durable acknowledgement costs on this
 * machine's disk. Thread-safe.
 */
public final class BenchDatabase implements AutoCloseable {
  /** The role {@link #app()} connects as. */
  public static final String APP_ROLE = "tenantkit_bench";

  private static final Set<String> SYNC_VALUES = Set.of("on", "off", "local", "remote_write");
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private final String name;
  private final HikariDataSource app;
  private final HikariDataSource admin;

  private BenchDatabase(String name, HikariDataSource app, HikariDataSource admin) {
    this.name = name;
    this.app = app;
    this.admin = admin;
  }

  /**
   * Creates a database owned by {@value #APP_ROLE}, starting the server on first use (a few
   * seconds).
   *
   * @param appPoolSize connections of the {@link #app()} pool
   * @param synchronousCommit {@code on} or {@code off} (or {@code local}, {@code remote_write})
   * @throws IllegalArgumentException if {@code synchronousCommit} is not a PostgreSQL value
   * @throws IllegalStateException if the server cannot be started or the database created
   */
  public static BenchDatabase create(int appPoolSize, String synchronousCommit) {
    if (!SYNC_VALUES.contains(synchronousCommit)) {
      throw new IllegalArgumentException("synchronous_commit must be one of " + SYNC_VALUES);
    }
    EmbeddedPostgres pg = Server.INSTANCE;
    String name = "bench_" + DATABASES.incrementAndGet();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("create database " + name + " owner " + APP_ROLE);
      s.execute("alter database " + name + " set synchronous_commit = " + synchronousCommit);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name, e);
    }
    HikariDataSource app = pool(pg, name, APP_ROLE, appPoolSize);
    HikariDataSource admin = pool(pg, name, "postgres", 4);
    return new BenchDatabase(name, app, admin);
  }

  private static HikariDataSource pool(EmbeddedPostgres pg, String db, String user, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(PostgresFixture.dataSource(pg, db, user));
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setPoolName(db + "-" + user);
    return new HikariDataSource(config);
  }

  /** The database's name. */
  public String name() {
    return name;
  }

  /** A pool connecting as {@value #APP_ROLE}, under row-level security. */
  public DataSource app() {
    return app;
  }

  /** A small pool connecting as the superuser, which bypasses row-level security. */
  public DataSource admin() {
    return admin;
  }

  /**
   * Closes both pools and drops the database, so a large data set does not outlive its benchmark.
   *
   * @throws IllegalStateException if the database cannot be dropped
   */
  @Override
  public void close() {
    app.close();
    admin.close();
    try (Connection c = Server.INSTANCE.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("drop database if exists " + name + " with (force)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop database " + name, e);
    }
  }

  /** Holds the server; the JVM starts it once, on first use, and a shutdown hook stops it. */
  private static final class Server {
    static final EmbeddedPostgres INSTANCE =
        PostgresFixture.startServer(
            Map.of(
                "max_connections", "100",
                "shared_buffers", "512MB",
                // Loading millions of rows should not be dominated by checkpoints.
                "max_wal_size", "8GB",
                "checkpoint_timeout", "30min"),
            APP_ROLE);
  }
}
