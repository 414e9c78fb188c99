package dev.tenantkit.tenancy.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.testkit.TenancyStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

class JdbcTenancyStoreH2Test extends TenancyStoreContract {
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private HikariDataSource dataSource;

  @Override
  protected TenancyStore newStore() {
    dataSource = EmbeddedDatabase.h2InMemory("contract-" + DATABASES.incrementAndGet());
    return JdbcTenancyStore.builder(dataSource).build();
  }

  @AfterEach
  void closeDatabase() {
    dataSource.close();
  }
}
