package dev.tenantkit.adapters.spring.internal;

import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * A Spring Boot {@code DatabaseInitializerDetector}: tells Boot that {@link TenancyStore}, {@link
 * UsageStore}, {@link QuotaStore}, {@link BillingStore} and {@link PlanVersionStore} beans
 * initialize the database: building a JDBC store applies Tenantkit's migrations. Ordered before
 * Flyway, Liquibase and SQL scripts, so the application's own migrations run after Tenantkit's, so
 * they may use Tenantkit's tables and its row-level security helper; beans that depend on database
 * initialization (JPA, for example) wait for both. Registered in {@code META-INF/spring.factories};
 * stateless.
 */
public final class TenancyStoreInitializerDetector
    extends AbstractBeansOfTypeDatabaseInitializerDetector {

  /** Created by Spring Boot. */
  public TenancyStoreInitializerDetector() {}

  @Override
  protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
    return Set.of(
        TenancyStore.class,
        UsageStore.class,
        QuotaStore.class,
        BillingStore.class,
        PlanVersionStore.class);
  }

  /**
   * First: Spring Boot's own detectors (Flyway, Liquibase, SQL scripts, JPA) have orders from 0.
   */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
