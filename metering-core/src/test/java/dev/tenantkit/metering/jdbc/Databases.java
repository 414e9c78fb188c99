package dev.tenantkit.metering.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.testkit.PostgresFixture;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh databases for JDBC tests; the caller closes the pool. */
final class Databases {
  private static final AtomicInteger H2 = new AtomicInteger();

  private Databases() {}

  static HikariDataSource h2() {
    return EmbeddedDatabase.h2InMemory("metering-" + H2.incrementAndGet());
  }

  /** A new PostgreSQL database, as the non-superuser role, behind a small pool. */
  static HikariDataSource postgres() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(PostgresFixture.newDatabase());
    config.setMaximumPoolSize(10);
    config.setPoolName("metering-pg");
    return new HikariDataSource(config);
  }
}
