package dev.tenantkit.adapters.servlet;

import dev.tenantkit.adapters.servlet.internal.FilterInit;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.config.Settings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meters every API call of a tenant: after the rest of the chain it records the built-in meters
 * {@code api_calls} (dimensions {@code endpoint}, {@code method}, {@code status}), {@code
 * request_latency} (milliseconds, dimension {@code endpoint}) and, for a status of 400 or more,
 * {@code errors} (dimensions {@code endpoint}, {@code status}, {@code error_type}).
 *
 * <p>The request never waits for a database: those meters are {@link
 * dev.tenantkit.metering.Durability#BUFFERED}, so recording only puts three events in the metering
 * buffer (with the default {@link dev.tenantkit.metering.Backpressure#REJECT}; with {@code BLOCK} a
 * full buffer makes the request write it). An event the meter refuses, because the buffer is full,
 * the usage meter is closed or for any other reason, is dropped and counted ({@link
 * #droppedEvents()} and the Micrometer counter {@code tenantkit.usage.http.dropped}, tag {@code
 * reason}); the request is never failed by metering.
 *
 * <p>{@code endpoint} is the route template, never the raw path (whose ids would make the values
 * unbounded): by default the Spring MVC best-matching pattern if a handler mapping set it, else the
 * servlet mapping's pattern, else {@value #UNMATCHED} (see {@link #defaultRouteResolver()}). {@code
 * method} is one of the standard methods or {@code OTHER}. {@code error_type} is the problem code
 * when the answer was a Tenantkit problem (such as {@code quota-exceeded} or {@code
 * tenant-not-found}; for a failure the chain threw, the status and code {@link Problems#forFailure}
 * gives, which is what {@link TenantFilter} answers), the simple class name of the exception when
 * the chain threw something else (answered 500 by the container), else {@code http_<status>}.
 *
 * <p>It needs the tenant: map it behind {@link TenantFilter}, so that {@link TenantContext} is
 * bound. Requests without a tenant (excluded paths, refused credentials) are not metered. Put it in
 * front of {@link QuotaFilter} so that requests refused with 429 are metered too. An asynchronous
 * request is recorded when it completes.
 *
 * <p>Thread-safe.
 */
public final class UsageMeteringFilter implements Filter {
  /** The request attribute in which Spring MVC leaves the matched route pattern. */
  public static final String BEST_MATCHING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** The endpoint of a request no route template is known for. */
  public static final String UNMATCHED = "unmatched";

  /** The servlet context attribute that holds the {@link UsageMeter} of a no-arg filter. */
  public static final String METER_ATTRIBUTE = "dev.tenantkit.adapters.servlet.UsageMeter";

  /**
   * The servlet context attribute that may hold the {@link MeterRegistry} in which a no-arg filter
   * counts dropped events ({@link Builder#meterRegistry}); unset, none.
   */
  public static final String METER_REGISTRY_ATTRIBUTE =
      "dev.tenantkit.adapters.servlet.MeterRegistry";

  private static final Logger LOG = LoggerFactory.getLogger(UsageMeteringFilter.class);
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
  private static final int MAX_DIMENSION = 256;
  private static final Function<HttpServletRequest, String> DEFAULT_RESOLVER =
      UsageMeteringFilter::defaultRoute;

  // Set once, by the builder or by init; the volatile write of 'ready' after them publishes them to
  // the threads that run doFilter, which read 'ready' first.
  private UsageMeter meter;
  private LongSupplier nanoTicker;
  private Function<HttpServletRequest, String> routeResolver;
  private MeterRegistry registry;
  private volatile boolean ready;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicBoolean warned = new AtomicBoolean();

  /**
   * For web.xml and {@code ServletContext.addFilter(name, UsageMeteringFilter.class)}: the filter
   * is configured in {@link #init(FilterConfig)} from the context attributes {@value
   * #METER_ATTRIBUTE} and, optionally, {@value #METER_REGISTRY_ATTRIBUTE}; it takes no init-params.
   * Programmatic setups use {@link #builder(UsageMeter)}.
   */
  public UsageMeteringFilter() {}

  private UsageMeteringFilter(Builder b) {
    configure(b);
  }

  private void configure(Builder b) {
    this.meter = b.meter;
    this.nanoTicker = b.nanoTicker;
    this.routeResolver = b.routeResolver;
    this.registry = b.registry;
    this.ready = true;
  }

  /**
   * A builder of a filter that records into {@code meter}.
   *
   * @throws NullPointerException if {@code meter} is null
   */
  public static Builder builder(UsageMeter meter) {
    return new Builder(Objects.requireNonNull(meter, "meter"));
  }

  /**
   * The default route resolver: the request attribute {@value #BEST_MATCHING_PATTERN_ATTRIBUTE} if
   * present, else {@link HttpServletRequest#getHttpServletMapping()}'s pattern (such as {@code
   * /api/*}), else {@value #UNMATCHED}. Never the raw path. Stateless and thread-safe.
   */
  public static Function<HttpServletRequest, String> defaultRouteResolver() {
    return DEFAULT_RESOLVER;
  }

  private static String defaultRoute(HttpServletRequest request) {
    if (request.getAttribute(BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String best
        && !best.isEmpty()) {
      return best;
    }
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping != null && mapping.getPattern() != null && !mapping.getPattern().isEmpty()) {
      return mapping.getPattern();
    }
    return UNMATCHED;
  }

  /**
   * Configures a filter made with the no-arg constructor from the context attributes {@value
   * #METER_ATTRIBUTE} and {@value #METER_REGISTRY_ATTRIBUTE}; does nothing for a filter from {@link
   * #builder(UsageMeter)}, which is configured already.
   *
   * @throws ServletException if {@value #METER_ATTRIBUTE} does not hold a {@link UsageMeter},
   *     {@value #METER_REGISTRY_ATTRIBUTE} holds something other than a {@link MeterRegistry}, or
   *     an init-param is given (the message names it)
   */
  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    if (ready) {
      return;
    }
    String name = "UsageMeteringFilter";
    Builder b =
        builder(FilterInit.attribute(filterConfig, name, METER_ATTRIBUTE, UsageMeter.class));
    FilterInit.optionalAttribute(filterConfig, name, METER_REGISTRY_ATTRIBUTE, MeterRegistry.class)
        .ifPresent(b::meterRegistry);
    Settings params = FilterInit.initParams(filterConfig);
    FilterInit.configure(
        filterConfig,
        name,
        () -> {
          params.requireOnly(Set.of());
          return b;
        });
    configure(b);
  }

  /** How many usage events were dropped because the meter refused them, since the filter began. */
  public long droppedEvents() {
    return dropped.get();
  }

  /**
   * Runs the chain and records the call afterwards; a request without a bound tenant is passed on
   * unmetered.
   *
   * @throws IOException from the chain
   * @throws ServletException from the chain
   * @throws IllegalStateException if a no-arg filter was never initialised
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!ready) {
      throw new IllegalStateException("UsageMeteringFilter used before init(FilterConfig)");
    }
    Optional<TenantBinding> binding = TenantContext.current();
    if (binding.isEmpty()
        || !(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    TenantId tenant = binding.get().tenantId();
    long start = nanoTicker.getAsLong();
    Throwable failure = null;
    try {
      chain.doFilter(request, response);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      if (failure == null && request.isAsyncStarted()) {
        request.getAsyncContext().addListener(new Completion(tenant, start, request, response));
      } else {
        recordSafely(tenant, start, request, response, failure);
      }
    }
  }

  private void recordSafely(
      TenantId tenant,
      long start,
      HttpServletRequest request,
      HttpServletResponse response,
      Throwable failure) {
    try {
      record(tenant, start, request, response, failure);
    } catch (RuntimeException e) {
      // Metering must never fail the request it measures.
      drop(3, "failed", e);
    }
  }

  private void record(
      TenantId tenant,
      long start,
      HttpServletRequest request,
      HttpServletResponse response,
      Throwable failure) {
    long latencyMs = Math.max(0, (nanoTicker.getAsLong() - start + 500_000) / 1_000_000);
    String endpoint = bounded(routeResolver.apply(request));
    int status;
    String errorType;
    // The same decision the tenant filter makes when it answers the failure further out.
    Optional<Problem> problem = failure == null ? Optional.empty() : Problems.forFailure(failure);
    if (failure == null || response.isCommitted()) {
      status = response.getStatus();
      errorType =
          request.getAttribute(Problems.CODE_ATTRIBUTE) instanceof String code
              ? code
              : "http_" + status;
    } else if (problem.isPresent()) {
      status = problem.get().status();
      errorType = problem.get().code();
    } else {
      status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
      errorType = exceptionName(failure);
    }
    String statusText = Integer.toString(status);
    List<UsageEvent> events = new ArrayList<>(3);
    events.add(
        UsageEvent.builder(tenant, Meters.API_CALLS.name())
            .dimension("endpoint", endpoint)
            .dimension("method", method(request))
            .dimension("status", statusText)
            .build());
    events.add(
        UsageEvent.builder(tenant, Meters.REQUEST_LATENCY.name())
            .quantity(latencyMs)
            .dimension("endpoint", endpoint)
            .build());
    if (status >= 400) {
      events.add(
          UsageEvent.builder(tenant, Meters.ERRORS.name())
              .dimension("endpoint", endpoint)
              .dimension("status", statusText)
              .dimension("error_type", bounded(errorType))
              .build());
    }
    List<RecordOutcome> outcomes = meter.recordAll(events);
    for (RecordOutcome outcome : outcomes) {
      if (!outcome.counted()) {
        drop(1, outcome.reason().code(), null);
      }
    }
  }

  private void drop(int events, String reason, RuntimeException cause) {
    dropped.addAndGet(events);
    if (registry != null) {
      Counter.builder("tenantkit.usage.http.dropped")
          .description("Usage events of API calls the usage meter refused")
          .tag("reason", reason)
          .register(registry)
          .increment(events);
    }
    if (warned.compareAndSet(false, true)) {
      LOG.warn(
          "dropped usage events of an API call ({}); further drops are counted in"
              + " tenantkit.usage.http.dropped and logged at DEBUG",
          reason,
          cause);
    } else {
      LOG.debug("dropped {} usage events of an API call ({})", events, reason, cause);
    }
  }

  private static String method(HttpServletRequest request) {
    String method = request.getMethod();
    return METHODS.contains(method) ? method : "OTHER";
  }

  private static String bounded(String value) {
    if (value == null || value.isEmpty()) {
      return UNMATCHED;
    }
    return value.length() > MAX_DIMENSION ? value.substring(0, MAX_DIMENSION) : value;
  }

  private static String exceptionName(Throwable failure) {
    Throwable t = failure;
    // Containers and Spring wrap a handler's exception in a ServletException; name the cause.
    if (t instanceof ServletException && t.getCause() != null) {
      t = t.getCause();
    }
    String simple = t.getClass().getSimpleName();
    return simple.isEmpty() ? t.getClass().getName() : simple;
  }

  /** Records an asynchronous request once, when it completes, fails or times out. */
  private final class Completion implements AsyncListener {
    private final TenantId tenant;
    private final long start;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AtomicBoolean done = new AtomicBoolean();

    Completion(
        TenantId tenant, long start, HttpServletRequest request, HttpServletResponse response) {
      this.tenant = tenant;
      this.start = start;
      this.request = request;
      this.response = response;
    }

    @Override
    public void onComplete(AsyncEvent event) {
      if (done.compareAndSet(false, true)) {
        recordSafely(tenant, start, request, response, null);
      }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      // The container answers or an error dispatch follows; onComplete records the outcome.
    }

    @Override
    public void onError(AsyncEvent event) {
      if (done.compareAndSet(false, true)) {
        recordSafely(tenant, start, request, response, event.getThrowable());
      }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
      event.getAsyncContext().addListener(this);
    }
  }

  /** Builder of {@link UsageMeteringFilter}. Not thread-safe. */
  public static final class Builder {
    private final UsageMeter meter;
    private LongSupplier nanoTicker = System::nanoTime;
    private Function<HttpServletRequest, String> routeResolver = DEFAULT_RESOLVER;
    private MeterRegistry registry;

    private Builder(UsageMeter meter) {
      this.meter = meter;
    }

    /**
     * The source of nanosecond time for latencies; default {@link System#nanoTime()}. Tests pass a
     * fake one.
     */
    public Builder nanoTicker(LongSupplier nanoTicker) {
      this.nanoTicker = Objects.requireNonNull(nanoTicker, "nanoTicker");
      return this;
    }

    /**
     * How a request's route template is found; default {@link #defaultRouteResolver()}. It must
     * return a bounded set of values, such as patterns, never the raw path; {@code null} or empty
     * becomes {@value #UNMATCHED}, and values are cut to 256 characters.
     */
    public Builder routeResolver(Function<HttpServletRequest, String> routeResolver) {
      this.routeResolver = Objects.requireNonNull(routeResolver, "routeResolver");
      return this;
    }

    /** Where to count dropped events ({@code tenantkit.usage.http.dropped}); default none. */
    public Builder meterRegistry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Builds the filter. */
    public UsageMeteringFilter build() {
      return new UsageMeteringFilter(this);
    }
  }
}
