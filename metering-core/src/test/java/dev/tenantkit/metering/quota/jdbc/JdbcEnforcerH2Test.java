package dev.tenantkit.metering.quota.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.util.concurrent.atomic.AtomicInteger;

class JdbcEnforcerH2Test extends JdbcEnforcerScenarios {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  HikariDataSource newPool() {
    return EmbeddedDatabase.h2InMemory("quota-enforcer-" + DATABASES.incrementAndGet());
  }

  @Override
  HikariDataSource secondPool(HikariDataSource first) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(first.getJdbcUrl());
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(10);
    return new HikariDataSource(config);
  }
}
