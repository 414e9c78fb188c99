package dev.tenantkit.examples.sample.usage;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.analytics.UsageAnalytics;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import java.time.InstantSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Usage analytics over the usage queries and the quota enforcer Tenantkit's auto-configuration
 * provides, on the app's clock (a single {@link InstantSource} bean, else the system clock) and the
 * quota catalog's time zone.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsConfig {
  @Bean
  UsageAnalytics usageAnalytics(
      UsageQueries queries,
      QuotaEnforcer quotas,
      ObjectProvider<InstantSource> clock,
      ObjectProvider<MeterCatalog> catalog) {
    return UsageAnalytics.builder(queries, quotas)
        .clock(clock.getIfUnique(InstantSource::system))
        .catalog(catalog.getIfUnique(MeterCatalog::builtIns))
        .build();
  }
}
