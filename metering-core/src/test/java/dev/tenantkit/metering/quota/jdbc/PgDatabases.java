package dev.tenantkit.metering.quota.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.testkit.PostgresFixture;

/** Pooled data sources on fresh PostgreSQL databases of the shared test server. */
final class PgDatabases {
  private PgDatabases() {}

  /** A pool of up to 16 connections on a new database owned by a non-superuser role. */
  static HikariDataSource newPool() {
    HikariConfig config = new HikariConfig();
    config.setDataSource(PostgresFixture.newDatabase());
    config.setMaximumPoolSize(16);
    return new HikariDataSource(config);
  }

  /** A second pool on the same database as {@code first}, as another app instance would have. */
  static HikariDataSource samePlace(HikariDataSource first) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(first.getDataSource());
    config.setMaximumPoolSize(16);
    return new HikariDataSource(config);
  }
}
