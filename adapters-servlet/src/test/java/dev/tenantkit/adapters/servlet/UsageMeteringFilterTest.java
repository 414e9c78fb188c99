package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.MeteredApp.ACME;
import static dev.tenantkit.adapters.servlet.MeteredApp.BETA;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.RecordOutcome;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.UsageMeter;
import dev.tenantkit.tenancy.TenantContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UsageMeteringFilterTest {
  private MeteredApp app;

  @AfterEach
  void tearDown() {
    if (app != null) {
      app.close();
    }
  }

  private MeteredApp start(MeteredApp.Options options) throws Exception {
    app = new MeteredApp(options);
    return app;
  }

  @Test
  void recordsTheCallItsLatencyAndNoErrorUnderTheServletMappingNotTheRawPath() throws Exception {
    start(MeteredApp.Options.defaults());

    assertThat(app.call(ACME, "/api/items/42?x=1").status()).isEqualTo(200);

    Map<String, List<UsageEvent>> events = app.events(ACME, 1);
    assertThat(events.keySet()).containsExactlyInAnyOrder("api_calls", "request_latency");
    UsageEvent call = events.get("api_calls").get(0);
    assertThat(call.tenantId()).isEqualTo(ACME);
    assertThat(call.quantity()).isEqualByComparingTo(BigDecimal.ONE);
    assertThat(call.dimensions())
        .isEqualTo(Map.of("endpoint", "/api/items/*", "method", "GET", "status", "200"));
    UsageEvent latency = events.get("request_latency").get(0);
    assertThat(latency.quantity()).isEqualByComparingTo("42");
    assertThat(latency.dimensions()).isEqualTo(Map.of("endpoint", "/api/items/*"));
  }

  @Test
  void prefersTheSpringMvcPatternWhenAHandlerMappingSetIt() throws Exception {
    start(MeteredApp.Options.defaults());

    app.call(ACME, "/api/items/42?pattern=1");

    assertThat(app.events(ACME, 1).get("api_calls").get(0).dimensions())
        .containsEntry("endpoint", "/api/items/{id}");
  }

  @Test
  void theDefaultResolverFallsBackToUnmatched() {
    HttpServletRequest request =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> null);

    assertThat(UsageMeteringFilter.defaultRouteResolver().apply(request))
        .isEqualTo(UsageMeteringFilter.UNMATCHED);
  }

  @Test
  void errorsAreRecordedWithTheProblemCodeTheStatusOrTheExceptionName() throws Exception {
    start(MeteredApp.Options.defaults());

    assertThat(app.call(ACME, "/api/items/1?problem=item-not-found").status()).isEqualTo(404);
    assertThat(app.call(ACME, "/api/items/1?status=418").status()).isEqualTo(418);
    Harness.Response thrown = app.call(ACME, "/api/items/1?throw=tenantkit");
    TenantFilterTest.assertProblem(thrown, 404, "tenant-not-found");
    assertThat(app.call(ACME, "/api/items/1?throw=runtime").status()).isEqualTo(500);

    Map<String, List<UsageEvent>> events = app.events(ACME, 4);
    assertThat(events.get("api_calls"))
        .extracting(e -> e.dimensions().get("status"))
        .containsExactly("404", "418", "404", "500");
    assertThat(events.get("errors"))
        .extracting(UsageEvent::dimensions)
        .containsExactly(
            Map.of("endpoint", "/api/items/*", "status", "404", "error_type", "item-not-found"),
            Map.of("endpoint", "/api/items/*", "status", "418", "error_type", "http_418"),
            Map.of("endpoint", "/api/items/*", "status", "404", "error_type", "tenant-not-found"),
            Map.of(
                "endpoint",
                "/api/items/*",
                "status",
                "500",
                "error_type",
                "IllegalStateException"));
  }

  @Test
  void anAsynchronousRequestIsRecordedWhenItCompletes() throws Exception {
    start(MeteredApp.Options.defaults());

    assertThat(app.call(ACME, "/api/items/1?async=1").status()).isEqualTo(202);

    Map<String, List<UsageEvent>> events = app.events(ACME, 1);
    assertThat(events.get("api_calls").get(0).dimensions()).containsEntry("status", "202");
    assertThat(events.get("request_latency").get(0).quantity()).isEqualByComparingTo("50");
  }

  @Test
  void requestsWithoutATenantAreNotMeteredAndEachTenantGetsItsOwnCalls() throws Exception {
    start(MeteredApp.Options.defaults());

    assertThat(app.http.get("/api/public/ping").status()).isEqualTo(200);
    assertThat(app.http.get("/api/items/1").status()).isEqualTo(401);
    app.call(BETA, "/api/items/1");
    app.call(BETA, "/api/items/2");

    assertThat(app.events(BETA, 2).get("api_calls")).hasSize(2);
    assertThat(app.events(ACME, 0)).isEmpty();
  }

  @Test
  void aFullBufferDropsEventsButNeverFailsOrHoldsTheRequest() throws Exception {
    // Room for one call's two events; the flush task never runs, so the buffer stays full.
    start(MeteredApp.Options.defaults().withBuffer(2));

    for (int i = 0; i < 5; i++) {
      assertThat(app.call(ACME, "/api/items/" + i).status()).isEqualTo(200);
    }

    Map<String, List<UsageEvent>> events = app.events(ACME, 5);
    assertThat(events.get("api_calls")).hasSize(1);
    assertThat(app.meteringFilter.droppedEvents()).isEqualTo(8);
    assertThat(
            app.registry
                .get("tenantkit.usage.http.dropped")
                .tag("reason", RejectionReason.BUFFER_FULL.code())
                .counter()
                .count())
        .isEqualTo(8.0);
  }

  @Test
  void aMeterThatThrowsOrIsClosedNeverFailsTheRequest() throws Exception {
    BlockingQueue<String> attempts = new LinkedBlockingQueue<>();
    UsageMeter broken =
        new UsageMeter() {
          @Override
          public RecordOutcome record(UsageEvent event) {
            throw new IllegalStateException("the usage meter is closed");
          }

          @Override
          public List<RecordOutcome> recordAll(List<UsageEvent> events) {
            attempts.add("recordAll");
            throw new IllegalStateException("the usage meter is closed");
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UsageMeteringFilter filter =
        UsageMeteringFilter.builder(broken).meterRegistry(registry).build();
    MeteredApp tenants = start(MeteredApp.Options.defaults());
    try (Harness http =
        Harness.start(
            context -> {
              context.addFilter(
                  new FilterHolder(
                      (req, res, chain) ->
                          TenantContext.run(
                              ACME,
                              () -> {
                                try {
                                  filter.doFilter(req, res, chain);
                                } catch (Exception e) {
                                  throw new IllegalStateException(e);
                                }
                              })),
                  "/*",
                  EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(
                  new ServletHolder(new MeteredApp.ItemsServlet(tenants.nanos)), "/*");
            })) {
      assertThat(http.get("/items/1").status()).isEqualTo(200);
      assertThat(attempts.poll(30, TimeUnit.SECONDS)).isEqualTo("recordAll");
    }
    assertThat(filter.droppedEvents()).isEqualTo(3);
    assertThat(
            registry.get("tenantkit.usage.http.dropped").tag("reason", "failed").counter().count())
        .isEqualTo(3.0);
  }

  @Test
  void unusualMethodsAreRecordedAsOther() throws Exception {
    start(MeteredApp.Options.defaults());

    app.http.send(
        "BREW", "/api/items/1", null, null, "Authorization", "Bearer " + app.keys.get(ACME));

    assertThat(app.events(ACME, 1).get("api_calls").get(0).dimensions())
        .containsEntry("method", "OTHER");
  }
}
