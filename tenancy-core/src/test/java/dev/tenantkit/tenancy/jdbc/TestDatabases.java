package dev.tenantkit.tenancy.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Fresh databases of either dialect for one test; closing it closes every pool it opened. */
final class TestDatabases implements AutoCloseable {
  private static final AtomicInteger H2_NAMES = new AtomicInteger();

  private final List<HikariDataSource> pools = new ArrayList<>();

  /** A new, empty database. */
  DataSource create(Dialect dialect) {
    return switch (dialect) {
      case H2 -> track(EmbeddedDatabase.h2InMemory("test-" + H2_NAMES.incrementAndGet()));
      case POSTGRESQL -> PostgresFixture.newDatabase();
    };
  }

  /**
   * Another data source on the same database as {@code db}, as a second app instance would have.
   */
  DataSource another(DataSource db) {
    if (db instanceof HikariDataSource h) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(h.getJdbcUrl());
      config.setUsername(h.getUsername());
      config.setPassword(h.getPassword());
      return track(new HikariDataSource(config));
    }
    return pool(db, 4);
  }

  /** A Hikari pool of at most {@code size} connections over {@code db}. */
  HikariDataSource pool(DataSource db, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(db);
    config.setMaximumPoolSize(size);
    return track(new HikariDataSource(config));
  }

  private HikariDataSource track(HikariDataSource pool) {
    pools.add(pool);
    return pool;
  }

  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
  }
}
