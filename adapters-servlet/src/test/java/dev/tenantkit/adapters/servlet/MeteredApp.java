package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.Backpressure;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.quota.FailureMode;
import dev.tenantkit.metering.quota.PlanCatalog;
import dev.tenantkit.metering.quota.QuotaDecision;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.metering.quota.Quotas;
import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.metering.quota.spi.QuotaStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantNotFoundException;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;

/**
 * A servlet app as a host would set it up: {@link TenantFilter}, {@link UsageMeteringFilter} and
 * {@link QuotaFilter} on {@code /api/*} in that order, the operator API with {@link
 * MeteringAdminRoutes} on {@code /admin/*}, all on a fake clock and a fake nanosecond ticker, on a
 * real Jetty.
 *
 * <p>The metering buffer is flushed only when a test calls {@link #events}: the flush scheduler
 * never runs its tasks, so what the buffer holds is up to the test.
 */
final class MeteredApp implements AutoCloseable {
  static final String OPERATOR_KEY = "operator-key-0123456789";
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId BETA = TenantId.of("beta");
  static final TenantId BIG = TenantId.of("big");

  final FakeClock clock = FakeClock.create();
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final IdleScheduler scheduler = new IdleScheduler();
  final Metering metering;
  final RecordingMeter meter;
  final QuotaEnforcer quotas;
  final UsageMeteringFilter meteringFilter;
  final Harness http;
  final Map<TenantId, String> keys;

  /** What a test may change. */
  record Options(
      int bufferCapacity, PlanCatalog catalog, QuotaStore quotaStore, FailureMode failureMode) {
    static Options defaults() {
      return new Options(
          1000, PlanCatalog.defaults(), InMemoryQuotaStore.create(), FailureMode.FAIL_CLOSED);
    }

    Options withBuffer(int capacity) {
      return new Options(capacity, catalog, quotaStore, failureMode);
    }

    Options withCatalog(PlanCatalog c) {
      return new Options(bufferCapacity, c, quotaStore, failureMode);
    }

    Options withStore(QuotaStore s, FailureMode mode) {
      return new Options(bufferCapacity, catalog, s, mode);
    }
  }

  MeteredApp(Options options) throws Exception {
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .clock(clock)
            .buffer(options.bufferCapacity(), Duration.ofSeconds(1), Backpressure.REJECT)
            .flushExecutor(scheduler)
            .build();
    meter = new RecordingMeter(metering.usageMeter());
    quotas =
        Quotas.builder()
            .catalog(options.catalog())
            .store(options.quotaStore())
            .failureMode(options.failureMode())
            .planOf(tenancy.tenants())
            .clock(clock)
            .build();
    keys =
        Map.of(
            ACME, tenant(ACME, "free"),
            BETA, tenant(BETA, "free"),
            BIG, tenant(BIG, "enterprise"));
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
    TenantFilter tenantFilter = TenantFilter.builder(access).excludePaths("/api/public/**").build();
    meteringFilter =
        UsageMeteringFilter.builder(meter).nanoTicker(nanos::get).meterRegistry(registry).build();
    QuotaFilter quotaFilter = QuotaFilter.builder(quotas).clock(clock).build();
    TenantAdminServlet admin =
        TenantAdminServlet.builder(tenancy, OPERATOR_KEY)
            .routes(
                MeteringAdminRoutes.builder(tenancy.tenants())
                    .metering(metering)
                    .quotas(quotas)
                    .clock(clock)
                    .build())
            .build();
    http =
        Harness.start(
            context -> {
              for (Filter f : List.of(tenantFilter, meteringFilter, quotaFilter)) {
                FilterHolder holder = new FilterHolder(f);
                holder.setAsyncSupported(true);
                context.addFilter(holder, "/api/*", EnumSet.of(DispatcherType.REQUEST));
              }
              ServletHolder items = new ServletHolder(new ItemsServlet(nanos));
              items.setAsyncSupported(true);
              context.addServlet(items, "/api/items/*");
              context.addServlet(new ServletHolder(new ItemsServlet(nanos)), "/api/public/*");
              context.addServlet(new ServletHolder(new UploadServlet(quotas)), "/api/uploads");
              context.addServlet(new ServletHolder(admin), "/admin/*");
            });
  }

  private String tenant(TenantId id, String plan) {
    tenancy.tenants().create(NewTenant.of(id, "Tenant " + id.value(), plan));
    return tenancy.apiKeys().issue(id, ApiKeyRequest.fullAccess("test")).secret();
  }

  /** A GET of {@code path} with {@code tenant}'s key. */
  Harness.Response call(TenantId tenant, String path) {
    return http.get(path, "Authorization", "Bearer " + keys.get(tenant));
  }

  /** A request to the operator API with the operator key. */
  Harness.Response admin(String method, String path, String json) {
    return http.send(
        method,
        "/admin" + path,
        json == null ? null : "application/json",
        json,
        "Authorization",
        "Bearer " + OPERATOR_KEY);
  }

  /**
   * Waits until the metering filter has recorded {@code calls} more API calls (it records after the
   * answer may have reached the client), then flushes the buffer and returns the tenant's events by
   * meter name, oldest first.
   */
  Map<String, List<UsageEvent>> events(TenantId tenant, int calls) throws InterruptedException {
    meter.await(calls);
    metering.usageMeter().flush();
    List<RecordedEvent> page =
        metering.queries().events(tenant, EventFilter.all(), null, 1000).items();
    List<RecordedEvent> oldestFirst = new ArrayList<>(page);
    Collections.reverse(oldestFirst);
    return oldestFirst.stream()
        .map(RecordedEvent::event)
        .collect(Collectors.groupingBy(UsageEvent::meter));
  }

  @Override
  public void close() {
    http.close();
    metering.close();
    scheduler.shutdownNow();
  }

  /**
   * {@code /api/uploads}: takes one of the tenant's {@code files} gauge and answers 201, or a 429
   * of its own naming the gauge with {@link QuotaFilter#addRefusalFields}, as an application does.
   */
  static final class UploadServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient QuotaEnforcer quotas;

    UploadServlet(QuotaEnforcer quotas) {
      this.quotas = quotas;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      TenantId tenant = TenantContext.current().orElseThrow().tenantId();
      QuotaDecision d = quotas.tryConsume(tenant, PlanCatalog.FILES, 1);
      if (d.allowed()) {
        resp.setStatus(201);
        return;
      }
      QuotaFilter.addRefusalFields(resp, d);
      resp.setStatus(429);
    }
  }

  /** Passes every batch on and reports it, so tests can wait for the filter to have recorded. */
  static final class RecordingMeter implements UsageMeter {
    private final UsageMeter delegate;
    private final BlockingQueue<List<UsageEvent>> batches = new LinkedBlockingQueue<>();

    RecordingMeter(UsageMeter delegate) {
      this.delegate = delegate;
    }

    void await(int calls) throws InterruptedException {
      for (int i = 0; i < calls; i++) {
        assertThat(batches.poll(30, TimeUnit.SECONDS)).as("call %d was metered", i + 1).isNotNull();
      }
    }

    @Override
    public RecordOutcome record(UsageEvent event) {
      return recordAll(List.of(event)).get(0);
    }

    @Override
    public List<RecordOutcome> recordAll(List<UsageEvent> events) {
      try {
        return delegate.recordAll(events);
      } finally {
        batches.add(events);
      }
    }

    @Override
    public void flush() {
      delegate.flush();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }

  /** A host scheduler that accepts the flush task and never runs it. */
  static final class IdleScheduler extends ScheduledThreadPoolExecutor {
    IdleScheduler() {
      super(1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(
        Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return super.scheduleWithFixedDelay(command, 365, 365, TimeUnit.DAYS);
    }

    @Override
    public void execute(Runnable command) {
      // The early flush once a full batch waits: left to the test.
    }
  }

  /**
   * {@code /api/items/*}: takes 42 ms on the fake ticker and answers as the query asks: {@code
   * status=N}, {@code problem=code} (a Tenantkit problem with status 404), {@code
   * throw=tenantkit|runtime}, {@code pattern=1} (sets the Spring MVC pattern attribute), {@code
   * async=1} (answers 202 from another thread).
   */
  static final class ItemsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient AtomicLong nanos;

    ItemsServlet(AtomicLong nanos) {
      this.nanos = nanos;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      nanos.addAndGet(42_000_000L);
      if (req.getParameter("pattern") != null) {
        req.setAttribute(UsageMeteringFilter.BEST_MATCHING_PATTERN_ATTRIBUTE, "/api/items/{id}");
      }
      if (req.getParameter("async") != null) {
        AsyncContext async = req.startAsync();
        async.start(
            () -> {
              nanos.addAndGet(8_000_000L);
              ((HttpServletResponse) async.getResponse()).setStatus(202);
              async.complete();
            });
        return;
      }
      String problem = req.getParameter("problem");
      if (problem != null) {
        Problems.write(req, resp, 404, problem, "no such item", Map.of());
        return;
      }
      String toThrow = req.getParameter("throw");
      if ("tenantkit".equals(toThrow)) {
        throw new TenantNotFoundException(TenantId.of("nobody"));
      }
      if ("runtime".equals(toThrow)) {
        throw new IllegalStateException("boom");
      }
      String status = req.getParameter("status");
      resp.setStatus(status == null ? 200 : Integer.parseInt(status));
      resp.setContentType("text/plain");
      resp.getOutputStream().write("item".getBytes(StandardCharsets.UTF_8));
    }
  }
}
