package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.TenantFilterTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.IssuedApiKey;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** The web.xml style of set-up and the validation of the filter's configuration. */
class TenantFilterConfigTest {
  private final Tenancy tenancy = Tenancy.builder().build();
  private final TenantAccess access =
      TenantAccess.of(TenantResolvers.apiKey(tenancy.apiKeys()), tenancy.tenants());

  @Test
  void aNoArgFilterTakesItsAccessFromTheContextAndItsRulesFromInitParams() throws Exception {
    TenantId acme = TenantId.of("acme");
    tenancy.tenants().create(NewTenant.of(acme, "Acme", "pro"));
    IssuedApiKey files =
        tenancy.apiKeys().issue(acme, new ApiKeyRequest("f", Set.of("files:read"), null));
    try (Harness http =
        Harness.start(
            context -> {
              context.setAttribute(TenantFilter.ACCESS_ATTRIBUTE, access);
              FilterHolder holder = new FilterHolder(TenantFilter.class);
              holder.setInitParameter(TenantFilter.EXCLUDE_PATHS_PARAM, " /health , /docs/** ,");
              holder.setInitParameter(
                  TenantFilter.REQUIRE_SCOPES_PARAM,
                  "/api/usage/**=usage:read, /api/**=files:read");
              context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(new TenantFilterTest.EchoServlet()), "/*");
            })) {
      String[] auth = {"Authorization", "Bearer " + files.secret()};

      assertThat(http.get("/health").body()).startsWith("tenant=none ");
      assertThat(http.get("/docs/a").body()).startsWith("tenant=none ");
      assertProblem(http.get("/api/files"), 401, "missing-credential");
      assertThat(http.get("/api/files", auth).body()).startsWith("tenant=acme ");
      assertProblem(http.get("/api/usage/x", auth), 403, "missing-scope");
    }
  }

  @Test
  void initFailsClearlyWithoutATenantAccessInTheContext() {
    TenantFilter filter = new TenantFilter();

    assertThatThrownBy(() -> filter.init(config(Map.of(), Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining(TenantFilter.ACCESS_ATTRIBUTE)
        .hasMessageContaining("there is none");
    assertThatThrownBy(
            () -> filter.init(config(Map.of(TenantFilter.ACCESS_ATTRIBUTE, "nope"), Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("java.lang.String");
  }

  @Test
  void initFailsClearlyOnMalformedInitParams() {
    Map<String, Object> attributes = Map.of(TenantFilter.ACCESS_ATTRIBUTE, access);

    assertThatThrownBy(
            () ->
                new TenantFilter()
                    .init(config(attributes, Map.of(TenantFilter.EXCLUDE_PATHS_PARAM, "health"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("must start with '/'");
    assertThatThrownBy(
            () ->
                new TenantFilter()
                    .init(config(attributes, Map.of(TenantFilter.REQUIRE_SCOPES_PARAM, "/api/**"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("pattern=scope");
    assertThatThrownBy(
            () ->
                new TenantFilter()
                    .init(
                        config(
                            attributes,
                            Map.of(TenantFilter.REQUIRE_SCOPES_PARAM, "/api/**=Not A Scope"))))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("not a valid scope");
  }

  @Test
  void aFilterUsedBeforeInitRefusesToRun() {
    HttpServletRequest request = unusable(HttpServletRequest.class);
    HttpServletResponse response = unusable(HttpServletResponse.class);

    assertThatThrownBy(() -> new TenantFilter().doFilter(request, response, (q, s) -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("init");
  }

  private static <T> T unusable(Class<T> type) {
    return type.cast(
        Proxy.newProxyInstance(
            TenantFilterConfigTest.class.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            }));
  }

  @Test
  void theBuilderRejectsMalformedPatternsAndScopes() {
    TenantFilter.Builder b = TenantFilter.builder(access);

    assertThatThrownBy(() -> b.excludePaths("health")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.excludePaths("/a/*/b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.excludePaths("/a/*")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireScope("/api/**", "Bad Scope"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requireScope("api", "files:read"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static FilterConfig config(Map<String, Object> attributes, Map<String, String> params) {
    ServletContext context =
        (ServletContext)
            Proxy.newProxyInstance(
                TenantFilterConfigTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getAttribute")) {
                    return attributes.get((String) args[0]);
                  }
                  throw new UnsupportedOperationException(method.getName());
                });
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "tenant";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
