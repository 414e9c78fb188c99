package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.ResolverChain;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.jdbc.JdbcTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import dev.tenantkit.tenancy.spi.TenantEventListener;
import dev.tenantkit.tenancy.spi.TenantPurger;
import dev.tenantkit.tenancy.spi.TenantResolver;
import java.time.InstantSource;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * Configures the tenancy module: its store, {@link Tenancy}, the {@link TenantResolver} chain and
 * {@link TenantAccess}. Every bean backs off when the application defines its own of the same type;
 * {@code tenantkit.enabled=false} turns all of Tenantkit off.
 *
 * <p>The store runs on the application's {@link DataSource} when it has one. Otherwise, with H2 on
 * the class path, it runs on the embedded H2 file database under {@code tenantkit.data-dir} that
 * {@link TenantkitDataSourceAutoConfiguration} publishes as the {@code DataSource}. The time source
 * is the application's single {@link InstantSource} (or {@link java.time.Clock}) bean, if there is
 * one, else the system clock. Every {@link TenantEventListener} bean hears of tenant lifecycle
 * changes, in bean order.
 *
 * <p>Runs after Spring Boot's {@code DataSourceAutoConfiguration}, so that a data source Boot
 * creates from {@code spring.datasource.*} is used. Tenantkit's migrations run before the
 * application's Flyway or Liquibase migrations, so those may use Tenantkit's tables and helpers. As
 * Tenantkit's tables make the schema non-empty on a first start, Spring Boot's Flyway is set to
 * baseline at version 0 (so that every application migration still runs) unless the application
 * sets {@code spring.flyway.baseline-on-migrate} or {@code spring.flyway.baseline-version} itself.
 *
 * <p>A property Tenantkit cannot start with fails startup with a report naming it.
 */
@AutoConfiguration(
    after = TenantkitDataSourceAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties({TenantkitProperties.class, TenantkitBillingProperties.class})
@Import(DatabaseInitializationDependencyConfigurer.class)
public class TenantkitAutoConfiguration {

  /** Created by Spring. */
  public TenantkitAutoConfiguration() {}

  /**
   * The tenancy store: {@link JdbcTenancyStore} over the application's data source (or the embedded
   * one), migrated to the current schema at startup unless {@code tenantkit.migrate} is false.
   *
   * @throws InvalidPropertyException if there is no data source and H2 is not on the class path
   */
  @Bean
  @ConditionalOnMissingBean
  public TenancyStore tenancyStore(
      ObjectProvider<DataSource> dataSource, TenantkitProperties properties) {
    DataSource ds = dataSource.getIfUnique();
    if (ds == null) {
      throw new InvalidPropertyException(
          "tenantkit.data-dir",
          "cannot be used: the embedded database needs com.h2database:h2 on the class path."
              + " Add H2, or define a single (or @Primary) DataSource bean, for example with"
              + " spring.datasource.url");
    }
    return JdbcTenancyStore.builder(ds).migrate(properties.migrate()).build();
  }

  /**
   * The tenancy module over the store, with the application's clock, event listeners and purgers
   * (every {@link TenantPurger} bean removes its data when a tenant is purged).
   */
  @Bean
  @ConditionalOnMissingBean
  public Tenancy tenancy(
      TenancyStore store,
      ObjectProvider<InstantSource> clock,
      ObjectProvider<TenantEventListener> listeners,
      ObjectProvider<TenantPurger> purgers,
      ObjectProvider<PlanCatalog> catalog) {
    Tenancy.Builder builder =
        Tenancy.builder()
            .store(store)
            .clock(clock.getIfUnique(InstantSource::system))
            // With quotas on, a tenant on a plan the catalog lacks could make no request at all.
            .knownPlans(
                plan -> {
                  PlanCatalog plans = catalog.getIfUnique();
                  return plans == null || plans.plan(plan).isPresent();
                });
    listeners.orderedStream().forEach(builder::listener);
    purgers.orderedStream().forEach(builder::purger);
    return builder.build();
  }

  /**
   * The resolvers of {@code tenantkit.resolvers.order}, composed in that order.
   *
   * @throws InvalidPropertyException if a resolver is unknown, listed twice, or misses a setting
   */
  @Bean
  @ConditionalOnMissingBean
  public TenantResolver tenantResolver(
      Tenancy tenancy, TenantkitProperties properties, ObjectProvider<InstantSource> clock) {
    return ResolverChain.build(
        properties.resolvers(), tenancy.apiKeys(), clock.getIfUnique(InstantSource::system));
  }

  /** Access checks that require a credential and an active tenant. */
  @Bean
  @ConditionalOnMissingBean
  public TenantAccess tenantAccess(TenantResolver tenantResolver, Tenancy tenancy) {
    return TenantAccess.of(tenantResolver, tenancy.tenants());
  }

  /**
   * Lets Spring Boot's Flyway migrate a schema that already holds Tenantkit's tables: they are
   * created first, and without a baseline Flyway refuses a non-empty schema that has no history
   * table of its own. The baseline is version 0, so the application's first migration still runs.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = "org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer")
  static class FlywayBaselineConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "tenantkitFlywayBaseline")
    FlywayConfigurationCustomizer tenantkitFlywayBaseline(Environment environment) {
      return configuration -> {
        if (!environment.containsProperty("spring.flyway.baseline-on-migrate")
            && !environment.containsProperty("spring.flyway.baseline-version")) {
          configuration.baselineOnMigrate(true).baselineVersion("0");
        }
      };
    }
  }
}
