package dev.tenantkit.examples.sample;

import dev.tenantkit.adapters.servlet.QuotaFilter;
import dev.tenantkit.adapters.servlet.UsageMeteringFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.UsageQueries;
import dev.tenantkit.metering.jdbc.JdbcUsageStore;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.jdbc.JdbcQuotaStore;
import dev.tenantkit.tenancy.Tenancy;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Stands in for the metering auto-configuration until it lands: the beans and filters it is to
 * provide. Not a {@code @Configuration}, so component scanning never picks it up.
 */
class MeteringBeans {
  @Bean(destroyMethod = "close")
  Metering metering(DataSource dataSource, ObjectProvider<InstantSource> clock) {
    return Metering.builder()
        .store(JdbcUsageStore.builder(dataSource).build())
        .clock(clock.getIfUnique(InstantSource::system))
        .build();
  }

  @Bean
  UsageMeter usageMeter(Metering metering) {
    return metering.meter();
  }

  @Bean
  UsageQueries usageQueries(Metering metering) {
    return metering.queries();
  }

  @Bean
  PlanCatalog planCatalog() {
    return PlanCatalog.defaults();
  }

  @Bean
  QuotaEnforcer quotaEnforcer(
      DataSource dataSource,
      PlanCatalog catalog,
      Tenancy tenancy,
      ObjectProvider<InstantSource> clock) {
    return Quotas.builder()
        .catalog(catalog)
        .store(JdbcQuotaStore.builder(dataSource).build())
        .planOf(tenancy.tenants())
        .clock(clock.getIfUnique(InstantSource::system))
        .build();
  }

  @Bean
  FilterRegistrationBean<UsageMeteringFilter> usageMeteringFilter(UsageMeter meter) {
    FilterRegistrationBean<UsageMeteringFilter> r =
        new FilterRegistrationBean<>(UsageMeteringFilter.builder(meter).build());
    r.addUrlPatterns("/api/*");
    r.setOrder(1);
    return r;
  }

  @Bean
  FilterRegistrationBean<QuotaFilter> quotaFilter(
      QuotaEnforcer quotas, ObjectProvider<InstantSource> clock) {
    FilterRegistrationBean<QuotaFilter> r =
        new FilterRegistrationBean<>(
            QuotaFilter.builder(quotas).clock(clock.getIfUnique(InstantSource::system)).build());
    r.addUrlPatterns("/api/*");
    r.setOrder(2);
    return r;
  }
}
