package dev.tenantkit.metering.quota.jdbc;

import com.zaxxer.hikari.HikariDataSource;

class JdbcEnforcerPostgresTest extends JdbcEnforcerScenarios {
  @Override
  HikariDataSource newPool() {
    return PgDatabases.newPool();
  }

  @Override
  HikariDataSource secondPool(HikariDataSource first) {
    return PgDatabases.samePlace(first);
  }
}
