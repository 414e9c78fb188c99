package dev.tenantkit.examples.sample.setup;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.adapters.spring.TenantkitProperties;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The app's database when {@code spring.datasource.url} is not set: Tenantkit's embedded H2 file
 * database under {@code tenantkit.data-dir}. It is the app's one {@code DataSource}: Tenantkit's
 * tables and the app's own (migrated by Spring Boot's Flyway from {@code db/migration}) live side
 * by side. Declared here rather than left to Tenantkit's auto-configuration because the app has
 * {@code spring-jdbc} for Flyway, and with it Spring Boot would otherwise create an in-memory
 * database first. Set {@code spring.datasource.url} (and user and password) to run on PostgreSQL;
 * this bean then stands aside and Spring Boot makes the data source.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfig.NoDataSourceUrl.class)
class EmbeddedDatabaseConfig {

  @Bean(destroyMethod = "close")
  HikariDataSource dataSource(TenantkitProperties properties) {
    return EmbeddedDatabase.h2File(properties.dataDir());
  }

  /** Matches while {@code spring.datasource.url} is unset or blank. */
  static final class NoDataSourceUrl implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
    }
  }
}
