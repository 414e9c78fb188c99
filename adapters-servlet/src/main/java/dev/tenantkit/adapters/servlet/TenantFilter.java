package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.FilterInit;
import dev.tenantkit.adapters.servlet.internal.PathPattern;
import dev.tenantkit.adapters.servlet.internal.UnreadBody;
import dev.tenantkit.tenancy.DenialReason;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.Scopes;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.config.InvalidSettingException;
import dev.tenantkit.tenancy.config.Settings;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each request its tenant: asks a {@link TenantAccess} whether the request may act for a
 * tenant, answers a refusal with an RFC 9457 problem (see {@link Problems}), checks the scope the
 * path needs, and runs the rest of the chain with the tenant bound by {@link TenantContext}. The
 * binding is always restored when the chain returns or throws, so a pooled thread never keeps a
 * tenant.
 *
 * <p>A failure further down the chain that {@link Problems#forFailure} answers (a {@link
 * dev.tenantkit.tenancy.TenantkitException}, directly or as the cause of a {@link ServletException}
 * or another exception) is answered as that problem too, unless the response is already committed,
 * in which case it is rethrown; any other failure is rethrown to the container. The problem
 * replaces whatever body was buffered; headers already set (by outer filters, or by the failed
 * handler) are kept, apart from those the problem sets.
 *
 * <p>Paths are matched against the decoded path within the application (see {@link
 * ServletRequestView#path()}). A pattern is an exact path such as {@code /health} or a prefix
 * pattern such as {@code /admin/**}, which covers {@code /admin} and everything below it.
 *
 * <p>Two ways to set it up:
 *
 * <pre>{@code
 * // programmatic
 * TenantFilter filter = TenantFilter.builder(access)
 *     .excludePaths("/health", "/admin/**")
 *     .requireScope("/api/usage/**", "usage:read")
 *     .build();
 * context.addFilter("tenant", filter).addMappingForUrlPatterns(null, false, "/*");
 *
 * // web.xml or ServletContext.addFilter(name, TenantFilter.class): the access comes from a
 * // context attribute, the rest from init-params
 * servletContext.setAttribute(TenantFilter.ACCESS_ATTRIBUTE, access);
 * }</pre>
 *
 * <p>On a second pass through the filter for the same request (a forward, include or async dispatch
 * the filter is mapped for), the binding of the first pass is bound again on the current thread and
 * the scope rule of the new path is checked; the credential is not checked twice.
 *
 * <p>Thread-safe once initialised.
 */
public final class TenantFilter implements Filter {
  /** The servlet context attribute that holds the {@link TenantAccess} of a no-arg filter. */
  public static final String ACCESS_ATTRIBUTE = "dev.tenantkit.adapters.servlet.TenantAccess";

  /** The request attribute under which the filter stores the {@link TenantBinding} it granted. */
  public static final String BINDING_ATTRIBUTE = "dev.tenantkit.adapters.servlet.TenantBinding";

  /** Init-param: comma-separated path patterns that need no tenant. */
  public static final String EXCLUDE_PATHS_PARAM = "exclude-paths";

  /**
   * Init-param: comma-separated {@code pattern=scope} rules, such as {@code
   * /api/usage/**=usage:read}; the first matching rule applies.
   */
  public static final String REQUIRE_SCOPES_PARAM = "require-scopes";

  /**
   * Setting: one scope rule as {@code scopes[<pattern>]=<scope>}, the form of Spring Boot's {@code
   * tenantkit.filter.scopes[/api/usage/**]=usage:read}; rules of this form follow those of {@value
   * #REQUIRE_SCOPES_PARAM}.
   */
  public static final String SCOPES_SETTING = "scopes";

  private static final Logger LOG = LoggerFactory.getLogger(TenantFilter.class);

  private volatile Config config;

  /**
   * For web.xml and {@code ServletContext.addFilter(name, TenantFilter.class)}: the filter is
   * configured in {@link #init(FilterConfig)} from the context attribute {@value #ACCESS_ATTRIBUTE}
   * and the init-params {@value #EXCLUDE_PATHS_PARAM} and {@value #REQUIRE_SCOPES_PARAM}.
   * Programmatic setups use {@link #builder(TenantAccess)}.
   */
  public TenantFilter() {}

  private TenantFilter(Config config) {
    this.config = config;
  }

  /**
   * A builder of a filter that decides with {@code access}.
   *
   * @throws NullPointerException if {@code access} is null
   */
  public static Builder builder(TenantAccess access) {
    return new Builder(Objects.requireNonNull(access, "access"));
  }

  /**
   * Configures a filter made with the no-arg constructor from the context attribute {@value
   * #ACCESS_ATTRIBUTE} and the init-params (see {@link Builder#settings(Settings)}); does nothing
   * for a filter from {@link #builder(TenantAccess)}, which is configured already.
   *
   * @throws ServletException if the context attribute {@value #ACCESS_ATTRIBUTE} does not hold a
   *     {@link TenantAccess}, or an init-param is unknown or malformed (the message names it)
   */
  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    if (config != null) {
      return;
    }
    TenantAccess access =
        FilterInit.attribute(filterConfig, "TenantFilter", ACCESS_ATTRIBUTE, TenantAccess.class);
    Settings params = FilterInit.initParams(filterConfig);
    config =
        FilterInit.configure(
            filterConfig, "TenantFilter", () -> builder(access).settings(params).config());
  }

  /**
   * Checks the request and runs the rest of the chain with its tenant bound, or answers with a
   * problem.
   *
   * @throws ServletException if the request is not HTTP, or from further down the chain
   * @throws IOException from further down the chain or when the answer cannot be written
   * @throws IllegalStateException if a no-arg filter was never initialised
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      throw new ServletException("TenantFilter handles HTTP requests only");
    }
    Config c = config;
    if (c == null) {
      throw new IllegalStateException("TenantFilter used before init(FilterConfig)");
    }
    ServletRequestView view = ServletRequestView.of(request);
    String path = view.path();

    TenantBinding binding;
    if (request.getAttribute(BINDING_ATTRIBUTE) instanceof TenantBinding earlier) {
      binding = earlier;
    } else if (c.excluded(path)) {
      invoke(request, response, () -> chain.doFilter(request, response));
      return;
    } else {
      TenantAccess.Decision decision;
      try {
        decision = c.access().check(view);
      } catch (RuntimeException e) {
        // Resolving reads the credential store: when it is down, answer its problem (503), not a
        // container error.
        Problems.writeFailure(request, response, e);
        return;
      }
      if (decision instanceof TenantAccess.Decision.Denied denied) {
        LOG.debug("refused {} {}: {}", request.getMethod(), path, denied.reason().code());
        UnreadBody.closeConnectionIfAny(request, response);
        Problems.write(request, response, denied.reason(), denied.detail());
        return;
      }
      binding = ((TenantAccess.Decision.Granted) decision).binding();
    }

    String scope = c.requiredScope(path);
    if (scope != null && !binding.hasScope(scope)) {
      LOG.debug("refused {} {}: missing scope {}", request.getMethod(), path, scope);
      DenialReason reason = DenialReason.MISSING_SCOPE;
      UnreadBody.closeConnectionIfAny(request, response);
      Problems.write(
          request,
          response,
          reason.httpStatus(),
          reason.code(),
          "the credential lacks the scope '" + scope + "'",
          Map.of("scope", scope));
      return;
    }
    request.setAttribute(BINDING_ATTRIBUTE, binding);
    invoke(request, response, () -> bound(binding, () -> chain.doFilter(request, response)));
  }

  /**
   * Runs the chain and answers a failure of it with the problem {@link Problems#forFailure} gives,
   * unless the response is committed.
   */
  private static void invoke(HttpServletRequest request, HttpServletResponse response, Step step)
      throws IOException, ServletException {
    try {
      step.run();
    } catch (IOException | ServletException | RuntimeException e) {
      Optional<Problem> problem = Problems.forFailure(e);
      if (problem.isEmpty() || response.isCommitted()) {
        throw e;
      }
      // The buffered body belongs to the failed attempt. Headers stay: outer filters (CORS,
      // security headers) set theirs before the chain ran, and reset() would drop them with the
      // handler's.
      response.resetBuffer();
      Problems.write(request, response, problem.get());
    }
  }

  /** Runs {@code step} with {@code binding} bound; {@link TenantContext} restores it after. */
  private static void bound(TenantBinding binding, Step step) throws IOException, ServletException {
    try {
      TenantContext.run(
          binding,
          () -> {
            try {
              step.run();
            } catch (IOException | ServletException e) {
              throw new Checked(e);
            }
          });
    } catch (Checked c) {
      if (c.getCause() instanceof IOException io) {
        throw io;
      }
      throw (ServletException) c.getCause();
    }
  }

  @FunctionalInterface
  private interface Step {
    void run() throws IOException, ServletException;
  }

  /** Carries a checked exception of the chain through {@link TenantContext#run}. */
  private static final class Checked extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Checked(Exception cause) {
      super(cause);
    }
  }

  private record ScopeRule(PathPattern pattern, String scope) {}

  private record Config(
      TenantAccess access, List<PathPattern> excludedPaths, List<ScopeRule> scopeRules) {
    boolean excluded(String path) {
      return excludedPaths.stream().anyMatch(p -> p.matches(path));
    }

    String requiredScope(String path) {
      for (ScopeRule rule : scopeRules) {
        if (rule.pattern().matches(path)) {
          return rule.scope();
        }
      }
      return null;
    }
  }

  /** Builder of {@link TenantFilter}. Not thread-safe. */
  public static final class Builder {
    private final TenantAccess access;
    private final List<PathPattern> excludedPaths = new ArrayList<>();
    private final List<ScopeRule> scopeRules = new ArrayList<>();

    private Builder(TenantAccess access) {
      this.access = access;
    }

    /**
     * Adds paths that pass without a tenant, such as {@code "/health"} or {@code "/actuator/**"}.
     * None by default.
     *
     * @throws IllegalArgumentException if a pattern does not start with {@code /} or has a {@code
     *     *} anywhere but in a trailing {@code /**}
     */
    public Builder excludePaths(String... patterns) {
      for (String pattern : patterns) {
        excludedPaths.add(PathPattern.parse(pattern));
      }
      return this;
    }

    /**
     * Requires {@code scope} of the credential on paths matching {@code pathPattern}; a request
     * without it is answered with 403 {@code missing-scope}. Rules are tried in the order added and
     * the first match wins.
     *
     * @throws IllegalArgumentException if the pattern or the scope is malformed
     */
    public Builder requireScope(String pathPattern, String scope) {
      PathPattern pattern = PathPattern.parse(pathPattern);
      try {
        Scopes.validate(List.of(Objects.requireNonNull(scope, "scope")));
      } catch (InvalidInputException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
      scopeRules.add(new ScopeRule(pattern, scope));
      return this;
    }

    /**
     * Applies the framework-neutral settings of a tenant filter, the same for web.xml init-params
     * and Spring Boot's {@code tenantkit.filter.*} properties: {@value
     * TenantFilter#EXCLUDE_PATHS_PARAM} (comma-separated patterns, added with {@link
     * #excludePaths}), {@value TenantFilter#REQUIRE_SCOPES_PARAM} (comma-separated {@code
     * pattern=scope} rules) and one {@code scopes[<pattern>]} setting per rule (value: the scope),
     * added in that order with {@link #requireScope}.
     *
     * @throws dev.tenantkit.tenancy.config.InvalidSettingException naming the setting, if one is
     *     unknown or its value is refused
     */
    public Builder settings(Settings settings) {
      for (String name : settings.names()) {
        if (!name.equals(EXCLUDE_PATHS_PARAM)
            && !name.equals(REQUIRE_SCOPES_PARAM)
            && !(name.startsWith(SCOPES_SETTING + "[") && name.endsWith("]"))) {
          throw new InvalidSettingException(
              settings.key(name),
              "is not a setting of the tenant filter; it has "
                  + EXCLUDE_PATHS_PARAM
                  + ", "
                  + REQUIRE_SCOPES_PARAM
                  + " and "
                  + SCOPES_SETTING
                  + "[<pattern>]");
        }
      }
      for (String pattern : settings.list(EXCLUDE_PATHS_PARAM)) {
        settings.check(EXCLUDE_PATHS_PARAM, () -> excludePaths(pattern));
      }
      settings
          .rules(REQUIRE_SCOPES_PARAM, "pattern=scope")
          .forEach(
              (pattern, scope) ->
                  settings.check(REQUIRE_SCOPES_PARAM, () -> requireScope(pattern, scope)));
      for (String name : settings.names()) {
        if (name.startsWith(SCOPES_SETTING + "[")) {
          String pattern = name.substring(SCOPES_SETTING.length() + 1, name.length() - 1);
          String scope = settings.text(name).orElse("");
          settings.check(name, () -> requireScope(pattern, scope));
        }
      }
      return this;
    }

    /** Builds the filter. */
    public TenantFilter build() {
      return new TenantFilter(config());
    }

    private Config config() {
      return new Config(access, List.copyOf(excludedPaths), List.copyOf(scopeRules));
    }
  }
}
