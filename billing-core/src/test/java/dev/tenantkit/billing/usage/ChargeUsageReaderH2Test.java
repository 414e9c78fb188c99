package dev.tenantkit.billing.usage;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import java.util.concurrent.atomic.AtomicInteger;

/** {@link ChargeUsageReaderTest} with metering on H2. */
class ChargeUsageReaderH2Test extends ChargeUsageReaderTest {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private HikariDataSource db;

  @Override
  UsageStore store() {
    db = EmbeddedDatabase.h2InMemory("billing-usage-" + DATABASES.incrementAndGet());
    return JdbcUsageStore.builder(db).build();
  }

  @Override
  void closeStore() {
    db.close();
  }
}
