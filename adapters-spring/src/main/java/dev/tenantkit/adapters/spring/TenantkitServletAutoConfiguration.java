package dev.tenantkit.adapters.spring;

import dev.tenantkit.adapters.servlet.AdminRoutes;
import dev.tenantkit.adapters.servlet.MeteringAdminRoutes;
import dev.tenantkit.adapters.servlet.QuotaFilter;
import dev.tenantkit.adapters.servlet.TenantAdminServlet;
import dev.tenantkit.adapters.servlet.TenantFilter;
import dev.tenantkit.adapters.servlet.UsageIngestServlet;
import dev.tenantkit.adapters.servlet.UsageMeteringFilter;
import dev.tenantkit.adapters.spring.internal.InvalidPropertyException;
import dev.tenantkit.adapters.spring.internal.MvcRouteResolver;
import dev.tenantkit.adapters.spring.internal.OnMeteringOrQuotasCondition;
import dev.tenantkit.adapters.spring.internal.OnOperatorKeyCondition;
import dev.tenantkit.adapters.spring.internal.PropertySettings;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.boot.web.servlet.server.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

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
 *
 * <p>With metering and quotas on ({@link TenantkitMeteringAutoConfiguration}), the {@link
 * UsageMeteringFilter} and the {@link QuotaFilter} follow the tenant filter on the same URL
 * patterns, in the order tenant filter, metering filter, quota filter: the tenant is bound for
 * both, and requests the quota filter refuses with 429 are metered as errors too. Both are mapped
 * for request dispatches only, so an asynchronous request is counted once. In a Spring MVC
 * application the metering filter records the handler's route pattern ({@code /api/files/{id}}).
 * Every {@link AdminRoutes} bean, such as {@link MeteringAdminRoutes}, is added to the operator
 * API. With metering on, {@link UsageIngestServlet} serves usage ingestion over HTTP at {@code
 * tenantkit.metering.ingest.path} (default {@code /api/events}), behind the tenant filter.
 *
 * <p>The filters and the operator API, with the stores under them, are built before an embedded web
 * server starts (see {@link #tenantkitBeforeWebServer}), not while it starts its servlet context,
 * so a startup that fails on a bad property closes the stores' pools and leaves the container no
 * thread of its web application to warn about.
 */
@AutoConfiguration(
    after = {TenantkitAutoConfiguration.class, TenantkitMeteringAutoConfiguration.class})
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
    List<String> alsoExcluded =
        operatorApiOn(properties) ? List.of(adminPath(properties) + "/**") : List.of();
    Settings settings = PropertySettings.tenantFilter(config, alsoExcluded);
    TenantFilter.Builder builder =
        PropertySettings.read(() -> TenantFilter.builder(tenantAccess).settings(settings));
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
   * tenantkit.operator-key}, with the routes of every {@link AdminRoutes} bean.
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
      Tenancy tenancy, TenantkitProperties properties, ObjectProvider<AdminRoutes> routes) {
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
            () ->
                TenantAdminServlet.builder(tenancy, key)
                    .routes(routes.orderedStream().toArray(AdminRoutes[]::new))
                    .build());
    ServletRegistrationBean<TenantAdminServlet> registration =
        new ServletRegistrationBean<>(servlet, adminPath(properties) + "/*");
    registration.setName("tenantAdminServlet");
    return registration;
  }

  /**
   * The usage metering filter, right after the tenant filter on its URL patterns.
   *
   * @throws InvalidPropertyException if the tenant filter's URL patterns are not valid
   */
  @Bean
  @ConditionalOnBean(UsageMeter.class)
  @ConditionalOnMissingBean(
      value = UsageMeteringFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  @ConditionalOnProperty(
      prefix = "tenantkit.metering.filter",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public FilterRegistrationBean<UsageMeteringFilter> usageMeteringFilterRegistration(
      UsageMeter usageMeter,
      TenantkitProperties properties,
      ObjectProvider<MeterRegistry> meterRegistry,
      BeanFactory beanFactory) {
    UsageMeteringFilter.Builder builder =
        UsageMeteringFilter.builder(usageMeter).routeResolver(routeResolver(beanFactory));
    meterRegistry.ifUnique(builder::meterRegistry);
    Integer order = properties.metering().filter().order();
    FilterRegistrationBean<UsageMeteringFilter> registration =
        new FilterRegistrationBean<>(builder.build());
    registration.setName("usageMeteringFilter");
    registration.setUrlPatterns(urlPatterns(properties));
    registration.setOrder(order != null ? order : properties.filter().order() + 1);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }

  /**
   * Usage ingestion over HTTP ({@link UsageIngestServlet}) at {@code
   * tenantkit.metering.ingest.path} (default {@code /api/events}), opt-in: only with {@code
   * tenantkit.metering.ingest.enabled=true} (and metering on). Off by default because it adds a
   * write endpoint, which an application must choose to expose and whose path it may already use.
   * The path must be covered by the tenant filter's URL patterns, which bind the caller's tenant;
   * the servlet itself requires the scope {@code tenantkit.metering.ingest.scope} (default {@code
   * usage:write}). {@code tenantkit.metering.ingest.meters} lists the meters events may name
   * (default: the catalog's meters except the built-in ones the host records).
   *
   * @throws InvalidPropertyException if the path is not a plain path, is not covered by {@code
   *     tenantkit.filter.url-patterns}, the scope is malformed or a listed meter is not in the
   *     catalog
   */
  @Bean
  @ConditionalOnBean(Metering.class)
  @ConditionalOnMissingBean(
      value = UsageIngestServlet.class,
      parameterizedContainer = ServletRegistrationBean.class)
  @ConditionalOnProperty(
      prefix = "tenantkit.metering.ingest",
      name = "enabled",
      havingValue = "true")
  public ServletRegistrationBean<UsageIngestServlet> usageIngestServletRegistration(
      Metering metering,
      TenantkitProperties properties,
      ObjectProvider<MeterRegistry> meterRegistry) {
    TenantkitProperties.Ingest config = properties.metering().ingest();
    String path = config.path();
    if (path == null || !ADMIN_PATH.matcher(path).matches()) {
      throw new InvalidPropertyException(
          "tenantkit.metering.ingest.path",
          "is '" + path + "'; it must be a path such as /api/events, without wildcards");
    }
    if (properties.filter().enabled()
        && urlPatterns(properties).stream().noneMatch(p -> covers(p, path))) {
      throw new InvalidPropertyException(
          "tenantkit.metering.ingest.path",
          "is '"
              + path
              + "', which tenantkit.filter.url-patterns "
              + properties.filter().urlPatterns()
              + " do not cover; the tenant filter must bind the caller's tenant there");
    }
    UsageIngestServlet.Builder builder = UsageIngestServlet.builder(metering);
    InvalidPropertyException.check(
        "tenantkit.metering.ingest.scope", () -> builder.requiredScope(config.scope()));
    if (config.meters() != null && !config.meters().isEmpty()) {
      InvalidPropertyException.check(
          "tenantkit.metering.ingest.meters",
          () -> builder.ingestibleMeters(Set.copyOf(config.meters())));
    }
    meterRegistry.ifUnique(builder::meterRegistry);
    ServletRegistrationBean<UsageIngestServlet> registration =
        new ServletRegistrationBean<>(builder.build(), path);
    registration.setName("usageIngestServlet");
    return registration;
  }

  /**
   * Whether the servlet URL pattern {@code pattern} (exact, {@code /x/*} or {@code /*}) maps {@code
   * path}.
   */
  private static boolean covers(String pattern, String path) {
    if (pattern.equals("/*") || pattern.equals("/")) {
      return true;
    }
    if (pattern.endsWith("/*")) {
      String prefix = pattern.substring(0, pattern.length() - 2);
      return path.equals(prefix) || path.startsWith(prefix + "/");
    }
    return pattern.equals(path);
  }

  /**
   * The quota filter, right after the metering filter on the tenant filter's URL patterns.
   *
   * @throws InvalidPropertyException if the plan catalog lacks {@code requests_per_minute} or
   *     {@code api_calls}, or the tenant filter's URL patterns are not valid
   */
  @Bean
  @ConditionalOnBean(QuotaEnforcer.class)
  @ConditionalOnMissingBean(
      value = QuotaFilter.class,
      parameterizedContainer = FilterRegistrationBean.class)
  @ConditionalOnProperty(
      prefix = "tenantkit.quotas.filter",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  public FilterRegistrationBean<QuotaFilter> quotaFilterRegistration(
      QuotaEnforcer quotaEnforcer,
      TenantkitProperties properties,
      ObjectProvider<InstantSource> clock) {
    TenantkitProperties.QuotaFilter config = properties.quotas().filter();
    Settings settings = PropertySettings.quotaFilter(config);
    QuotaFilter.Builder builder =
        PropertySettings.read(
            () ->
                QuotaFilter.builder(quotaEnforcer)
                    .clock(clock.getIfUnique(InstantSource::system))
                    .settings(settings));
    QuotaFilter filter = InvalidPropertyException.check("tenantkit.quotas.filter", builder::build);
    FilterRegistrationBean<QuotaFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("quotaFilter");
    registration.setUrlPatterns(urlPatterns(properties));
    registration.setOrder(
        config.order() != null ? config.order() : properties.filter().order() + 2);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    return registration;
  }

  /**
   * Builds every registration of Tenantkit's filters and operator API (Tenantkit's or the
   * application's own), and so the stores and pools they use, when Spring Boot prepares the
   * embedded web server, before that server starts its servlet context. Spring Boot would otherwise
   * build them inside the servlet context's start: the pools' threads would then belong to the web
   * application, and when a later bean fails on a bad property, Tomcat would stop its context, and
   * warn that those threads were left running, before Spring closes the pools. Built here, a
   * failure stops startup before any server starts, with the same report naming the property. Runs
   * first among the customizers.
   *
   * @param tenantFilter the tenant filter's registrations
   * @param meteringFilter the usage metering filter's registrations
   * @param quotaFilter the quota filter's registrations
   * @param adminServlet the operator API's registrations
   * @return a customizer that only creates those beans
   */
  @Bean
  @ConditionalOnMissingBean(name = "tenantkitBeforeWebServer")
  public WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> tenantkitBeforeWebServer(
      ObjectProvider<FilterRegistrationBean<TenantFilter>> tenantFilter,
      ObjectProvider<FilterRegistrationBean<UsageMeteringFilter>> meteringFilter,
      ObjectProvider<FilterRegistrationBean<QuotaFilter>> quotaFilter,
      ObjectProvider<ServletRegistrationBean<TenantAdminServlet>> adminServlet) {
    return new BeforeWebServer(List.of(tenantFilter, meteringFilter, quotaFilter, adminServlet));
  }

  /** Creates the beans of its providers when the web server factory is customized. */
  private static final class BeforeWebServer
      implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
    private final List<ObjectProvider<?>> registrations;

    BeforeWebServer(List<ObjectProvider<?>> registrations) {
      this.registrations = registrations;
    }

    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
      // Only their creation matters here; Spring Boot registers them with the servlet context.
      registrations.forEach(provider -> provider.orderedStream().forEach(bean -> {}));
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  /** The operator routes of usage and quotas, added to the operator API. */
  @Bean
  @ConditionalOnBean(Tenancy.class)
  @ConditionalOnMissingBean
  @Conditional(OnMeteringOrQuotasCondition.class)
  public MeteringAdminRoutes meteringAdminRoutes(
      Tenancy tenancy,
      ObjectProvider<Metering> metering,
      ObjectProvider<QuotaEnforcer> quotas,
      ObjectProvider<InstantSource> clock) {
    MeteringAdminRoutes.Builder builder =
        MeteringAdminRoutes.builder(tenancy.tenants())
            .clock(clock.getIfUnique(InstantSource::system));
    metering.ifUnique(builder::metering);
    quotas.ifUnique(builder::quotas);
    return builder.build();
  }

  private static Function<HttpServletRequest, String> routeResolver(BeanFactory beanFactory) {
    return ClassUtils.isPresent(
            "org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping",
            TenantkitServletAutoConfiguration.class.getClassLoader())
        ? Mvc.routeResolver(beanFactory)
        : UsageMeteringFilter.defaultRouteResolver();
  }

  /** Touches Spring MVC types only when Spring MVC is on the class path. */
  private static final class Mvc {
    static Function<HttpServletRequest, String> routeResolver(BeanFactory beanFactory) {
      return new MvcRouteResolver(
          beanFactory.getBeanProvider(RequestMappingInfoHandlerMapping.class));
    }
  }

  private static List<String> urlPatterns(TenantkitProperties properties) {
    List<String> patterns = properties.filter().urlPatterns();
    for (String pattern : patterns) {
      if (pattern == null || !URL_PATTERN.matcher(pattern).matches()) {
        throw new InvalidPropertyException(
            "tenantkit.filter.url-patterns",
            "holds '" + pattern + "'; a servlet URL pattern starts with '/', like /api/*");
      }
    }
    return patterns;
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
