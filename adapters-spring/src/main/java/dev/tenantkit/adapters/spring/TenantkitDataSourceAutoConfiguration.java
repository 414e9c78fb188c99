package dev.tenantkit.adapters.spring;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.tenancy.jdbc.EmbeddedDatabase;
import dev.tenantkit.tenancy.spi.TenancyStore;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Tenantkit's embedded database: an H2 file database under {@code tenantkit.data-dir} (PostgreSQL
 * mode), published as the application's {@code DataSource} and closed on shutdown. Made only when
 * the application has neither a data source nor a tenancy store of its own, sets neither {@code
 * spring.datasource.url} nor {@code spring.datasource.jndi-name}, and has H2 on the class path.
 *
 * <p>Runs before Spring Boot's {@code DataSourceAutoConfiguration}: an application with {@code
 * spring-jdbc} (for Boot's Flyway or a {@code JdbcTemplate}, say) and no URL would otherwise get
 * Boot's in-memory database, which forgets everything on restart. Boot's JDBC support then uses
 * this database, so the application's own tables live next to Tenantkit's. With either property
 * set, this stands aside and Boot makes the data source.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@ConditionalOnClass(name = "org.h2.Driver")
@Conditional(TenantkitDataSourceAutoConfiguration.NoDataSourceProperty.class)
@EnableConfigurationProperties(TenantkitProperties.class)
public class TenantkitDataSourceAutoConfiguration {

  /** Created by Spring. */
  public TenantkitDataSourceAutoConfiguration() {}

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({DataSource.class, TenancyStore.class})
  HikariDataSource tenantkitDataSource(TenantkitProperties properties) {
    if (properties.dataDir() == null || properties.dataDir().toString().isBlank()) {
      throw new InvalidPropertyException("tenantkit.data-dir", "must name a directory");
    }
    return EmbeddedDatabase.h2File(properties.dataDir());
  }

  /** Matches while {@code spring.datasource.url} and {@code jndi-name} are unset or blank. */
  static final class NoDataSourceProperty implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Environment env = context.getEnvironment();
      return !StringUtils.hasText(env.getProperty("spring.datasource.url"))
          && !StringUtils.hasText(env.getProperty("spring.datasource.jndi-name"));
    }
  }
}
