package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.OnOperatorKeyCondition;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import jakarta.servlet.DispatcherType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Puts Tenantkit in front of a servlet web application: the {@link TenantFilter} on {@code
 * tenantkit.filter.url-patterns} (default {@code /api/*}) and, when {@code tenantkit.operator-key}
 * is set, the operator API ({@link TenantAdminServlet}) under {@code tenantkit.admin.path} (default
 * {@code /admin}). Each is switched off by {@code tenantkit.filter.enabled=false} or {@code
 * tenantkit.admin.enabled=false}, and backs off when the application registers its own.
 *
 * <p>The filter wraps the rest of the chain, so a {@link dev.tenantkit.tenancy.TenantkitException}
 * thrown by a controller behind it is answered as {@code application/problem+json} with its 4xx
 * status. It is mapped for request and async dispatches, so the tenant is bound again when an
 * asynchronous controller result is rendered.
 */
@AutoConfiguration(after = TenantkitAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({TenantFilter.class, FilterRegistrationBean.class})
@ConditionalOnProperty(
    prefix = "tenantkit",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
public class TenantkitServletAutoConfiguration {
  private static final Pattern ADMIN_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
  private static final Pattern URL_PATTERN = Pattern.compile("/[^\\s]*");
  private static final int MIN_OPERATOR_KEY_LENGTH = 16;

  /** Created by Spring. */
  public TenantkitServletAutoConfiguration() {}

  /**
   * The tenant filter on {@code tenantkit.filter.url-patterns}, with {@code exclude-paths} and
   * {@code scopes} applied. The operator API's path is excluded while the operator API is on, since
   * operators present no tenant credential.
   *
   * @throws InvalidPropertyException if a URL pattern, exclusion or scope rule is not valid
   */
  @Bean
  @ConditionalOnBean(TenantAccess.class)
  @ConditionalOnMissingBean(
      value = TenantFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  @ConditionalOnProperty(
      prefix = "tenantkit.filter",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public FilterRegistrationBean<TenantFilter> tenantFilterRegistration(
      TenantAccess tenantAccess, TenantkitProperties properties) {
    TenantkitProperties.Filter config = properties.filter();
    if (config.urlPatterns().isEmpty()) {
      throw new InvalidPropertyException(
          "tenantkit.filter.url-patterns",
          "must list at least one URL pattern, or set tenantkit.filter.enabled=false");
    }
    for (String pattern : config.urlPatterns()) {
      if (pattern == null || !URL_PATTERN.matcher(pattern).matches()) {
        throw new InvalidPropertyException(
            "tenantkit.filter.url-patterns",
            "holds '" + pattern + "'; a servlet URL pattern starts with '/', like /api/*");
      }
    }
    List<String> excluded = new ArrayList<>(config.excludePaths());
    if (operatorApiOn(properties)) {
      excluded.add(adminPath(properties) + "/**");
    }
    TenantFilter.Builder builder = TenantFilter.builder(tenantAccess);
    InvalidPropertyException.check(
        "tenantkit.filter.exclude-paths",
        () -> builder.excludePaths(excluded.toArray(String[]::new)));
    for (Map.Entry<String, String> rule : config.scopes().entrySet()) {
      if (!rule.getKey().startsWith("/")) {
        throw new InvalidPropertyException(
            "tenantkit.filter.scopes",
            "has the key '"
                + rule.getKey()
                + "'; keys are path patterns starting with '/', written in brackets so the"
                + " slashes are kept: tenantkit.filter.scopes[/api/files/**]=files:write");
      }
      InvalidPropertyException.check(
          "tenantkit.filter.scopes[" + rule.getKey() + "]",
          () -> builder.requireScope(rule.getKey(), rule.getValue()));
    }
    TenantFilter filter = InvalidPropertyException.check("tenantkit.filter", builder::build);
    FilterRegistrationBean<TenantFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("tenantFilter");
    registration.setUrlPatterns(config.urlPatterns());
    registration.setOrder(config.order());
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
    return registration;
  }

  /**
   * The operator API under {@code tenantkit.admin.path}, protected by {@code
   * tenantkit.operator-key}.
   *
   * @throws InvalidPropertyException if the key is shorter than 16 characters or the path is not
   *     valid
   */
  @Bean
  @ConditionalOnBean(Tenancy.class)
  @ConditionalOnMissingBean(
      value = TenantAdminServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  @ConditionalOnProperty(
      prefix = "tenantkit.admin",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  @Conditional(OnOperatorKeyCondition.class)
  public ServletRegistrationBean<TenantAdminServlet> tenantAdminServletRegistration(
      Tenancy tenancy, TenantkitProperties properties) {
    String key = properties.operatorKey();
    if (key.length() < MIN_OPERATOR_KEY_LENGTH) {
      throw new InvalidPropertyException(
          OnOperatorKeyCondition.PROPERTY,
          "is "
              + key.length()
              + " characters long; the operator key needs at least "
              + MIN_OPERATOR_KEY_LENGTH
              + " (use a long random value, such as the output of: openssl rand -hex 32)");
    }
    TenantAdminServlet servlet =
        InvalidPropertyException.check(
            OnOperatorKeyCondition.PROPERTY,
            () -> TenantAdminServlet.builder(tenancy, key).build());
    ServletRegistrationBean<TenantAdminServlet> registration =
        new ServletRegistrationBean<>(servlet, adminPath(properties) + "/*");
    registration.setName("tenantAdminServlet");
    return registration;
  }

  private static boolean operatorApiOn(TenantkitProperties properties) {
    return properties.admin().enabled()
        && properties.operatorKey() != null
        && !properties.operatorKey().isBlank();
  }

  private static String adminPath(TenantkitProperties properties) {
    String path = properties.admin().path();
    if (path == null || !ADMIN_PATH.matcher(path).matches()) {
      throw new InvalidPropertyException(
          "tenantkit.admin.path",
          "is '"
              + path
              + "'; it must be a path such as /admin: starting with '/', not ending with '/',"
              + " without wildcards");
    }
    return path;
  }
}
