package dev.tenantkit.tenancy.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The embedded default database: H2 in PostgreSQL mode behind a HikariCP pool. Needs {@code
 * com.h2database:h2} on the class path (an optional dependency of tenancy-core). For production use
 * PostgreSQL.
 *
 * <p>The URLs set {@code MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH} so the
 * SQL of every Tenantkit module behaves as on PostgreSQL. The caller owns the returned pool and
 * closes it: the database closes with the pool, never on its own when the JVM exits ({@code
 * DB_CLOSE_ON_EXIT=FALSE}). H2's own exit hook would otherwise race the host's orderly shutdown
 * (Spring's context close, a servlet container's stop), which still writes to the database, for
 * example the buffered usage events that {@code Metering.close()} flushes. Thread-safe.
 */
public final class EmbeddedDatabase {
  private static final String OPTIONS =
      ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private EmbeddedDatabase() {}

  /**
   * A database kept in files {@code tenantkit.*} in {@code directory}, created on first use; it
   * survives restarts. Only one process may open it at a time.
   *
   * @param directory where the database files live; created if missing
   * @return a pool; close it when done
   * @throws com.zaxxer.hikari.pool.HikariPool.PoolInitializationException if the database cannot be
   *     opened (for example, another process holds it)
   */
  public static HikariDataSource h2File(Path directory) {
    Objects.requireNonNull(directory, "directory");
    String path = directory.toAbsolutePath().resolve("tenantkit").toString().replace('\\', '/');
    // WRITE_DELAY=0: H2 otherwise writes committed changes up to half a second later, so a killed
    // process loses transactions it had already reported as committed.
    return pool("jdbc:h2:file:" + path + OPTIONS + ";WRITE_DELAY=0", "tenantkit-h2-file");
  }

  /**
   * A database in memory, named {@code name} in this JVM. It lives while the returned pool is open,
   * even with no connection checked out, and is dropped when the pool is closed (also for any other
   * pool opened on the same name).
   *
   * @param name the database name, 1 to 64 characters of {@code A-Z a-z 0-9 _ -}
   * @return a pool; close it when done
   * @throws IllegalArgumentException if the name is malformed
   */
  public static HikariDataSource h2InMemory(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "database name must be 1 to 64 characters of A-Z, a-z, 0-9, '_', '-': " + name);
    }
    // DB_CLOSE_DELAY=-1 keeps the database while the pool is open; closing the pool drops it.
    HikariConfig config = config("jdbc:h2:mem:" + name + OPTIONS + ";DB_CLOSE_DELAY=-1");
    config.setPoolName("tenantkit-h2-" + name);
    return new DroppingPool(config);
  }

  private static HikariDataSource pool(String url, String poolName) {
    HikariConfig config = config(url);
    config.setPoolName(poolName);
    return new HikariDataSource(config);
  }

  private static HikariConfig config(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(10);
    return config;
  }

  /** A pool over an in-memory database that drops the database when the pool is closed. */
  private static final class DroppingPool extends HikariDataSource {
    DroppingPool(HikariConfig config) {
      super(config);
    }

    @Override
    public void close() {
      if (!isClosed()) {
        try (Connection c = getConnection();
            Statement s = c.createStatement()) {
          s.execute("shutdown");
        } catch (SQLException e) {
          // Already gone: another pool on the same name shut it down, which is the goal.
        }
      }
      super.close();
    }
  }
}
