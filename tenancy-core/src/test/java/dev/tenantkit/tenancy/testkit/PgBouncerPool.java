package dev.tenantkit.tenancy.testkit;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An application's connection pool on a fresh test database, reached through a real PgBouncer in
 * transaction pooling mode with fewer server connections than the pool has: the set-up under which
 * the JDBC store contracts prove that nothing relies on a session (a {@code SET}, an advisory lock,
 * a prepared statement) surviving between transactions.
 *
 * <pre>{@code
 * try (PgBouncerPool pooled = PgBouncerPool.start(2, 16)) {
 *   JdbcBillingStore store = JdbcBillingStore.builder(pooled.dataSource()).build();
 * }
 * }</pre>
 *
 * <p>Skipped or failed like {@link PgBouncerFixture} when PgBouncer is not installed. Close it to
 * close the pool and stop PgBouncer.
 */
public final class PgBouncerPool implements AutoCloseable {
  private final PgBouncerFixture bouncer;
  private final HikariDataSource pool;

  private PgBouncerPool(PgBouncerFixture bouncer, HikariDataSource pool) {
    this.bouncer = bouncer;
    this.pool = pool;
  }

  /**
   * Starts PgBouncer with {@code serverConnections} per database in front of a new database, and a
   * Hikari pool of {@code poolSize} connections through it.
   */
  public static PgBouncerPool start(int serverConnections, int poolSize) {
    PGSimpleDataSource db = (PGSimpleDataSource) PostgresFixture.newDatabase();
    PgBouncerFixture bouncer = PgBouncerFixture.transactionPool(db, serverConnections);
    try {
      HikariConfig config = new HikariConfig();
      config.setDataSource(bouncer.dataSource(db));
      config.setMaximumPoolSize(poolSize);
      return new PgBouncerPool(bouncer, new HikariDataSource(config));
    } catch (RuntimeException e) {
      bouncer.close();
      throw e;
    }
  }

  /** The application's pool. */
  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    try {
      pool.close();
    } finally {
      bouncer.close();
    }
  }
}
