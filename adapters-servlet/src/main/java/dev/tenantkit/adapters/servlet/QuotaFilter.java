package dev.tenantkit.adapters.servlet;

import dev.tenantkit.metering.quota.LimitKind;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
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
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces each tenant's quotas and rate limits on its API calls: every request consumes its limits
 * (by default one {@code requests_per_minute} token and one of the {@code api_calls} allowance)
 * together with {@link QuotaEnforcer#tryConsumeAll}, all or none, so a refused request uses up
 * nothing.
 *
 * <p>A refused request is answered 429 {@code quota-exceeded} (problem extensions {@code limit},
 * {@code limitValue}, {@code remaining}, {@code resetAt}) with {@code Retry-After} in whole seconds
 * (rounded up, at least 1; absent when waiting cannot help, such as a limit overridden to 0). When
 * the quota store is unreachable and the enforcer fails closed, the answer is 503 {@code
 * quota-store-unavailable} with {@code Retry-After}; failing open lets the request through.
 *
 * <p>Answers carry the fields of the IETF draft "RateLimit header fields for HTTP"
 * (draft-ietf-httpapi-ratelimit-headers-11) for every rate limit the filter consumes, on allowed
 * and refused requests alike:
 *
 * <pre>
 * RateLimit-Policy: "requests_per_minute";q=30;w=60
 * RateLimit: "requests_per_minute";r=12;t=2
 * </pre>
 *
 * {@code q} is the tenant's bucket capacity (after any override) and {@code w} the seconds in which
 * an empty bucket fills (omitted if the catalog's plans disagree). {@code r} is the whole tokens
 * left and {@code t} the draft's effective window: the seconds within which no more than {@code r}
 * can be used, which for a token bucket (GCRA) is the time until its next whole token, at most one
 * token interval (2 seconds at 30 a minute), even when the bucket is full. On a refusal, the
 * refusing limit's {@code t} is the time until the refused request would fit and equals {@code
 * Retry-After}. Every 429 names the limit that refused it: a refusal by an allowance adds its item,
 * without {@code w} (calendar periods have no fixed length): {@code "api_calls";q=1000} and {@code
 * "api_calls";r=0;t=<seconds to the next period>}; a 429 the application writes itself (a gauge)
 * adds its own with {@link #addRefusalFields}. Unlimited limits are not listed. A request that
 * passed a soft limit gets {@value #WARNING_HEADER}{@code : <limit>}.
 *
 * <p>It needs the tenant: map it behind {@link TenantFilter} (and behind {@link
 * UsageMeteringFilter}, so that refusals are metered); requests without a bound tenant pass
 * unchecked. A Tenantkit exception of the enforcer (such as {@link
 * dev.tenantkit.metering.quota.UnknownPlanException} for a plan missing from the catalog)
 * propagates, and {@link TenantFilter} answers it as its problem.
 *
 * <p>Thread-safe.
 */
public final class QuotaFilter implements Filter {
  /** The header that names a soft limit the request went over. */
  public static final String WARNING_HEADER = "Tenantkit-Quota-Warning";

  /** The servlet context attribute that holds the {@link QuotaEnforcer} of a no-arg filter. */
  public static final String ENFORCER_ATTRIBUTE = "dev.tenantkit.adapters.servlet.QuotaEnforcer";

  /**
   * Init-param (and setting): comma-separated {@code limit=amount} rules, such as {@code
   * requests_per_minute=1, api_calls=1}: what each request consumes (see {@link Builder#consume}).
   */
  public static final String CONSUME_PARAM = "consume";

  /**
   * Init-param (and setting): the {@code Retry-After} of a 503 while the quota store is
   * unreachable, such as {@code 5s} or {@code PT5S} (see {@link Builder#unavailableRetryAfter}).
   */
  public static final String UNAVAILABLE_RETRY_AFTER_PARAM = "unavailable-retry-after";

  private static final Logger LOG = LoggerFactory.getLogger(QuotaFilter.class);

  // Set once, by the builder or by init; immutable, so this volatile write publishes it whole to
  // the threads that run doFilter.
  private volatile QuotaFilterConfig config;

  /**
   * For web.xml and {@code ServletContext.addFilter(name, QuotaFilter.class)}: the filter is
   * configured in {@link #init(FilterConfig)} from the context attribute {@value
   * #ENFORCER_ATTRIBUTE} and the init-params {@value #CONSUME_PARAM} and {@value
   * #UNAVAILABLE_RETRY_AFTER_PARAM}. Programmatic setups use {@link #builder(QuotaEnforcer)}.
   */
  public QuotaFilter() {}

  private QuotaFilter(QuotaFilterConfig config) {
    this.config = config;
  }

  /**
   * A builder of a filter that enforces with {@code enforcer}.
   *
   * @throws NullPointerException if {@code enforcer} is null
   */
  public static Builder builder(QuotaEnforcer enforcer) {
    return new Builder(Objects.requireNonNull(enforcer, "enforcer"));
  }

  /**
   * Configures a filter made with the no-arg constructor from the context attribute {@value
   * #ENFORCER_ATTRIBUTE} and the init-params (see {@link Builder#settings(Settings)}); does nothing
   * for a filter from {@link #builder(QuotaEnforcer)}, which is configured already.
   *
   * @throws ServletException if the context attribute does not hold a {@link QuotaEnforcer}, or an
   *     init-param is unknown or malformed (the message names it), or the catalog lacks a limit to
   *     consume
   */
  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    if (config == null) {
      config = QuotaFilterConfig.fromInit(filterConfig);
    }
  }

  /**
   * Consumes the request's limits and runs the chain, or answers 429 or 503.
   *
   * @throws IOException from the chain or when the answer cannot be written
   * @throws ServletException from the chain
   * @throws dev.tenantkit.tenancy.TenantkitException from the enforcer, such as an unknown plan
   * @throws IllegalStateException if a no-arg filter was never initialised
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    QuotaFilterConfig c = config;
    if (c == null) {
      throw new IllegalStateException("QuotaFilter used before init(FilterConfig)");
    }
    Optional<TenantBinding> binding = TenantContext.current();
    if (binding.isEmpty()
        || !(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    TenantId tenant = binding.get().tenantId();
    QuotaDecision decision = c.enforcer.tryConsumeAll(tenant, c.amounts);
    if (decision.degraded()) {
      if (!decision.allowed()) {
        QuotaRefusals.unavailable(request, response, decision, c.unavailableRetryAfterSeconds);
        return;
      }
      LOG.debug("{} {}: {}", request.getMethod(), request.getRequestURI(), decision.message());
      chain.doFilter(request, response);
      return;
    }
    RateLimitFields.set(response, decision, c.rateLimits, c.windowSeconds, c.clock.millis());
    if (!decision.allowed()) {
      QuotaRefusals.exceeded(request, response, decision);
      return;
    }
    if (decision.softWarning()) {
      response.setHeader(WARNING_HEADER, decision.limitName());
    }
    chain.doFilter(request, response);
  }

  /**
   * Names the limit that refused a request in the rate-limit fields of a 429 the application writes
   * itself (a refusal this filter did not make, such as a gauge's when an upload would exceed the
   * plan's storage): adds its item to {@code RateLimit-Policy} ({@code "files";q=100}) and to
   * {@code RateLimit} ({@code "files";r=0}, with {@code t} when waiting helps) as further field
   * lines, which these list-valued fields allow, so the items this filter set for the request rate
   * stay; and, when waiting helps, sets {@code Retry-After} to the same seconds as that {@code t}
   * (a gauge gets neither: only a release makes room). Call it before the response is committed.
   *
   * @param response the response of the refused request
   * @param refusal the enforcer's refusal
   * @throws IllegalArgumentException if {@code refusal} allowed the request or was decided by the
   *     failure mode (the store was unavailable: answer 503)
   */
  public static void addRefusalFields(HttpServletResponse response, QuotaDecision refusal) {
    RateLimitFields.addRefusal(response, refusal);
  }

  /** Builder of {@link QuotaFilter}. Not thread-safe. */
  public static final class Builder {
    private final QuotaEnforcer enforcer;
    private final Map<String, Long> amounts = new LinkedHashMap<>();
    private InstantSource clock = InstantSource.system();
    private Duration unavailableRetryAfter = Duration.ofSeconds(5);

    private Builder(QuotaEnforcer enforcer) {
      this.enforcer = enforcer;
    }

    /**
     * Makes every request consume {@code amount} of {@code limit}. Without any call, a request
     * consumes 1 of {@value PlanCatalog#REQUESTS_PER_MINUTE} and 1 of {@value
     * PlanCatalog#API_CALLS}; the first call replaces those defaults.
     *
     * @throws IllegalArgumentException if the enforcer's catalog has no such limit, the limit is a
     *     gauge (gauges are released by the application, not per request), or the amount is not
     *     positive
     */
    public Builder consume(String limit, long amount) {
      LimitKind kind = QuotaFilterConfig.kind(enforcer.admin().catalog(), limit);
      if (kind == null) {
        throw new IllegalArgumentException(
            "the plan catalog has no limit '"
                + limit
                + "'; it has "
                + enforcer.admin().catalog().limitNames());
      }
      if (kind == LimitKind.GAUGE) {
        throw new IllegalArgumentException(
            "'" + limit + "' is a gauge; a request can consume only allowances and rate limits");
      }
      if (amount < 1) {
        throw new IllegalArgumentException("a request consumes at least 1 of '" + limit + "'");
      }
      amounts.put(limit, amount);
      return this;
    }

    /**
     * Applies the framework-neutral settings of a quota filter, the same for web.xml init-params
     * and Spring Boot's {@code tenantkit.quotas.filter.*} properties: {@value
     * QuotaFilter#CONSUME_PARAM} (comma-separated {@code limit=amount} rules, each passed to {@link
     * #consume}) and {@value QuotaFilter#UNAVAILABLE_RETRY_AFTER_PARAM} (a duration such as {@code
     * 5s} or {@code PT5S}, passed to {@link #unavailableRetryAfter}).
     *
     * @throws InvalidSettingException naming the setting, if one is unknown or its value is refused
     */
    public Builder settings(Settings settings) {
      QuotaFilterConfig.apply(settings, this);
      return this;
    }

    /** The clock for the {@code t} of the {@code RateLimit} field; default the system clock. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The {@code Retry-After} of a 503 when the quota store is unreachable; default 5 seconds,
     * rounded up to whole seconds.
     *
     * @throws IllegalArgumentException if it is not positive
     */
    public Builder unavailableRetryAfter(Duration retryAfter) {
      if (retryAfter.isNegative() || retryAfter.isZero()) {
        throw new IllegalArgumentException("unavailableRetryAfter must be positive");
      }
      this.unavailableRetryAfter = retryAfter;
      return this;
    }

    /**
     * Builds the filter.
     *
     * @throws IllegalArgumentException if no limit was given and the catalog lacks one of the
     *     defaults
     */
    public QuotaFilter build() {
      return new QuotaFilter(config(amounts()));
    }

    /** The filter's configuration, consuming {@code amounts} per request. */
    QuotaFilterConfig config(Map<String, Long> amounts) {
      return new QuotaFilterConfig(enforcer, amounts, clock, unavailableRetryAfter);
    }

    /** What each request consumes: the amounts given, else the defaults. */
    Map<String, Long> amounts() {
      if (amounts.isEmpty()) {
        Builder defaults = new Builder(enforcer);
        defaults.consume(PlanCatalog.REQUESTS_PER_MINUTE, 1).consume(PlanCatalog.API_CALLS, 1);
        return Collections.unmodifiableMap(defaults.amounts);
      }
      return Collections.unmodifiableMap(new LinkedHashMap<>(amounts));
    }
  }
}
