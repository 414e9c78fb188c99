package dev.tenantkit.adapters.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.GatedStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link UsageIngestServlet} on a real Jetty behind the {@link TenantFilter}. */
class UsageIngestServletTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final String SINGLE = "application/cloudevents+json";
  static final String BATCH = "application/cloudevents-batch+json";

  final FakeClock clock = FakeClock.at(NOW);
  final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  final GatedStore store = GatedStore.counting(InMemoryUsageStore.create());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Metering metering =
      Metering.builder()
          .store(store)
          .clock(clock)
          .catalog(
              MeterCatalog.builder()
                  .add(MeterDefinition.builder("calls").dimensions("region").build())
                  .add(
                      MeterDefinition.builder("llm_tokens")
                          .dimensions("model")
                          .valuePath("$.tokens")
                          .dimensionPath("model", "$.model")
                          .build())
                  .build())
          .build();
  final String acmeKey;
  final String acmeReadOnly;
  final String acmeWriteOnly;
  final String globexKey;
  final Harness http;

  UsageIngestServletTest() throws Exception {
    acmeKey = tenant(ACME);
    globexKey = tenant(GLOBEX);
    acmeReadOnly = key(ACME, "usage:read");
    acmeWriteOnly = key(ACME, "usage:write");
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
    TenantFilter filter = TenantFilter.builder(access).build();
    UsageIngestServlet servlet =
        UsageIngestServlet.builder(metering).meterRegistry(registry).build();
    http =
        Harness.start(
            context -> {
              context.addFilter(
                  new FilterHolder(filter), "/api/*", EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(servlet), "/api/events");
              context.addServlet(new ServletHolder(servlet), "/unfiltered/events");
            });
  }

  private String tenant(TenantId id) {
    tenancy.tenants().create(NewTenant.of(id, "Tenant " + id.value(), "free"));
    return tenancy.apiKeys().issue(id, ApiKeyRequest.fullAccess("test")).secret();
  }

  private String key(TenantId id, String scope) {
    return tenancy.apiKeys().issue(id, new ApiKeyRequest("test", Set.of(scope), null)).secret();
  }

  @AfterEach
  void close() {
    http.close();
    metering.close();
  }

  static String event(String id, String type, String extra) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"//svc\",\"type\":\""
        + type
        + "\""
        + (extra.isEmpty() ? "" : "," + extra)
        + "}";
  }

  Harness.Response post(String key, String contentType, String body) {
    return http.send("POST", "/api/events", contentType, body, "Authorization", "Bearer " + key);
  }

  List<RecordedEvent> stored(TenantId tenant) {
    return metering.queries().events(tenant, EventFilter.all(), null, 1000).items();
  }

  @Nested
  class SingleEvents {
    @Test
    void anAcceptedEventIs202WithItsResultAndADuplicateToo() {
      String body = event("e1", "llm_tokens", "\"data\":{\"tokens\":812,\"model\":\"small\"}");
      Harness.Response r = post(acmeKey, SINGLE, body);
      assertThat(r.status()).isEqualTo(202);
      assertThat(r.body()).isEqualTo("{\"index\":0,\"id\":\"e1\",\"status\":\"accepted\"}");
      Harness.Response again = post(acmeKey, SINGLE, body);
      assertThat(again.status()).isEqualTo(202);
      assertThat(again.json().path("status").asText()).isEqualTo("duplicate");
      assertThat(stored(ACME)).hasSize(1);
      assertThat(stored(ACME).get(0).event().quantity()).isEqualByComparingTo("812");
    }

    @Test
    void aRejectedEventIsAProblemNamingTheIndexAndField() {
      Harness.Response r = post(acmeKey, SINGLE, event("e1", "nope", ""));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith(Problems.MEDIA_TYPE);
      JsonNode p = r.json();
      assertThat(p.path("code").asText()).isEqualTo("unknown-meter");
      assertThat(p.path("field").asText()).isEqualTo("type");
      assertThat(p.path("index").asInt(-1)).isZero();
      assertThat(p.path("id").asText()).isEqualTo("e1");

      Harness.Response missingId =
          post(acmeKey, SINGLE, "{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"calls\"}");
      assertThat(missingId.status()).isEqualTo(400);
      assertThat(missingId.json().path("field").asText()).isEqualTo("id");

      Harness.Response late =
          post(acmeKey, SINGLE, event("e2", "calls", "\"time\":\"2026-03-02T08:00:00Z\""));
      assertThat(late.status()).isEqualTo(400);
      assertThat(late.code()).isEqualTo("event-too-late");
      assertThat(late.json().path("field").asText()).isEqualTo("time");
      assertThat(stored(ACME)).isEmpty();
    }

    @Test
    void aConflictIs409() {
      post(acmeKey, SINGLE, event("e1", "calls", "\"data\":{\"quantity\":1}"));
      Harness.Response r = post(acmeKey, SINGLE, event("e1", "calls", "\"data\":{\"quantity\":2}"));
      assertThat(r.status()).isEqualTo(409);
      assertThat(r.code()).isEqualTo("idempotency-conflict");
      assertThat(r.json().path("field").asText()).isEqualTo("id");
    }

    @Test
    void aStoreOutageIs503WithRetryAfter() {
      store.failing(true);
      Harness.Response r = post(acmeKey, SINGLE, event("e1", "calls", ""));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.code()).isEqualTo("store-unavailable");
      assertThat(r.header("Retry-After")).isEqualTo("5");
    }
  }

  @Nested
  class Batches {
    @Test
    void aBatchIs200WithCountsAndAResultPerEvent() {
      String body =
          "["
              + event("a", "calls", "")
              + ","
              + event("b", "calls", "\"data\":{\"dimensions\":{\"zone\":\"x\"}}")
              + ","
              + event("a", "calls", "")
              + "]";
      Harness.Response r = post(acmeKey, BATCH, body);
      assertThat(r.status()).isEqualTo(200);
      JsonNode j = r.json();
      assertThat(j.path("accepted").asInt()).isEqualTo(1);
      assertThat(j.path("duplicate").asInt()).isEqualTo(1);
      assertThat(j.path("conflict").asInt()).isZero();
      assertThat(j.path("rejected").asInt()).isEqualTo(1);
      JsonNode rejected = j.path("results").get(1);
      assertThat(rejected.path("index").asInt()).isEqualTo(1);
      assertThat(rejected.path("id").asText()).isEqualTo("b");
      assertThat(rejected.path("status").asText()).isEqualTo("rejected");
      assertThat(rejected.path("reason").asText()).isEqualTo("undeclared-dimension");
      assertThat(rejected.path("field").asText()).isEqualTo("data.dimensions.zone");
      assertThat(rejected.path("retryable").asBoolean(true)).isFalse();
      assertThat(stored(ACME)).hasSize(1);
    }

    @Test
    void plainJsonIsABatchWhenItIsAnArrayAndOneEventWhenItIsAnObject() {
      assertThat(post(acmeKey, "application/json", "[" + event("a", "calls", "") + "]").status())
          .isEqualTo(200);
      assertThat(post(acmeKey, "application/json; charset=utf-8", event("b", "calls", "")).status())
          .isEqualTo(202);
    }

    @Test
    void aStoreOutageRejectsEachEventAsRetryable() {
      store.failing(true);
      Harness.Response r = post(acmeKey, BATCH, "[" + event("a", "calls", "") + "]");
      assertThat(r.status()).isEqualTo(200);
      JsonNode e = r.json().path("results").get(0);
      assertThat(e.path("reason").asText()).isEqualTo("store-unavailable");
      assertThat(e.path("retryable").asBoolean()).isTrue();
    }

    @Test
    void theMetricsCountEachOutcome() {
      post(acmeKey, BATCH, "[" + event("a", "calls", "") + "," + event("b", "x", "") + "]");
      assertThat(
              registry
                  .counter("tenantkit.usage.ingest.events", "status", "accepted", "reason", "none")
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .counter(
                      "tenantkit.usage.ingest.events",
                      "status",
                      "rejected",
                      "reason",
                      "unknown-meter")
                  .count())
          .isEqualTo(1);
    }
  }

  @Nested
  class WholeRequests {
    @Test
    void anotherMediaTypeIs415() {
      Harness.Response r = post(acmeKey, "text/plain", event("a", "calls", ""));
      assertThat(r.status()).isEqualTo(415);
      assertThat(r.code()).isEqualTo("unsupported-media-type");
      assertThat(post(acmeKey, SINGLE + "; charset=latin1", event("a", "calls", "")).status())
          .isEqualTo(415);
      assertThat(post(acmeKey, null, event("a", "calls", "")).status()).isEqualTo(415);
    }

    @Test
    void malformedJsonIs400NamingTheBody() {
      Harness.Response r = post(acmeKey, SINGLE, "{\"specversion\":");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid-input");
      assertThat(r.json().path("field").asText()).isEqualTo("body");
    }

    @Test
    void moreThanAThousandEventsOrOneMebibyteIs413AndNothingIsWritten() {
      List<String> events = new ArrayList<>();
      for (int i = 0; i < 1001; i++) {
        events.add(event("e" + i, "calls", ""));
      }
      Harness.Response r = post(acmeKey, BATCH, "[" + String.join(",", events) + "]");
      assertThat(r.status()).isEqualTo(413);
      assertThat(r.code()).isEqualTo("payload-too-large");
      String huge = "[" + event("a", "calls", "\"x\":\"" + "y".repeat(1 << 20) + "\"") + "]";
      assertThat(post(acmeKey, BATCH, huge).status()).isEqualTo(413);
      // Chunked, so without a Content-Length to refuse it by: read up to the bound only.
      HttpRequest chunked =
          HttpRequest.newBuilder(http.uri("/api/events"))
              .header("Authorization", "Bearer " + acmeKey)
              .header("Content-Type", BATCH)
              .POST(
                  HttpRequest.BodyPublishers.ofInputStream(
                      () ->
                          new java.io.ByteArrayInputStream(huge.getBytes(StandardCharsets.UTF_8))))
              .build();
      assertThat(http.send(chunked).status()).isEqualTo(413);
      assertThat(stored(ACME)).isEmpty();
    }

    @Test
    void theScopeUsageWriteIsRequiredByTheServletItself() {
      Harness.Response r = post(acmeReadOnly, SINGLE, event("a", "calls", ""));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.code()).isEqualTo("missing-scope");
      assertThat(r.json().path("scope").asText()).isEqualTo("usage:write");
      assertThat(post(acmeWriteOnly, SINGLE, event("a", "calls", "")).status()).isEqualTo(202);
    }

    @Test
    void withoutATenantBoundItIs401AndOnlyPostIsAllowed() {
      Harness.Response r = http.send("POST", "/unfiltered/events", SINGLE, event("a", "calls", ""));
      assertThat(r.status()).isEqualTo(401);
      Harness.Response get = http.get("/api/events", "Authorization", "Bearer " + acmeKey);
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.header("Allow")).isEqualTo("POST");
    }
  }

  @Nested
  class Isolation {
    @Test
    void aCallerCannotWriteIntoAnotherTenantNorLearnAnythingOfIt() {
      String globexEvent = event("g1", "calls", "\"data\":{\"quantity\":5}");
      assertThat(post(globexKey, SINGLE, globexEvent).status()).isEqualTo(202);

      // subject naming globex: refused, and the answer does not echo it.
      Harness.Response subject =
          post(acmeKey, SINGLE, event("a1", "calls", "\"subject\":\"globex\""));
      assertThat(subject.status()).isEqualTo(403);
      assertThat(subject.code()).isEqualTo("subject-mismatch");
      assertThat(subject.json().path("field").asText()).isEqualTo("subject");
      assertThat(subject.body()).doesNotContain("globex");

      // globex's source and id, and its key spelled out: acme's own new events, never a duplicate
      // or a conflict that would tell acme globex sent them.
      Harness.Response sameKey =
          post(
              acmeKey,
              BATCH,
              "["
                  + event("g1", "calls", "\"data\":{\"quantity\":9}")
                  + ","
                  + "{\"specversion\":\"1.0\",\"id\":\"ce:5://svc:g1\",\"source\":\"globex\","
                  + "\"type\":\"calls\"}]");
      assertThat(sameKey.json().path("accepted").asInt()).isEqualTo(2);
      assertThat(sameKey.body())
          .doesNotContain("\"status\":\"duplicate")
          .doesNotContain("\"status\":\"conflict");

      assertThat(stored(GLOBEX)).hasSize(1);
      assertThat(stored(GLOBEX).get(0).event().quantity()).isEqualByComparingTo("5");
      assertThat(stored(ACME))
          .hasSize(2)
          .allSatisfy(e -> assertThat(e.event().tenantId()).isEqualTo(ACME));
    }
  }

  @Test
  void noInputGetsA500() {
    Random random = new Random(7);
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] b = new byte[random.nextInt(100)];
      random.nextBytes(b);
      bodies.add(new String(b, StandardCharsets.ISO_8859_1));
    }
    bodies.add("[".repeat(5000));
    bodies.add(event("a", "calls", "\"data\":{\"quantity\":1e999999999}"));
    bodies.add(event("a", "calls", "\"data\":{\"quantity\":" + "9".repeat(2000) + "}"));
    bodies.add(event("a", "calls", "\"time\":12"));
    bodies.add(event("a", "calls", "\"data\":[]"));
    bodies.add("{\"specversion\":1,\"id\":[],\"source\":{},\"type\":null}");
    for (String body : bodies) {
      for (String type : List.of(SINGLE, BATCH, "application/json")) {
        int status = post(acmeKey, type, body).status();
        assertThat(status).as(body).isBetween(200, 499);
      }
    }
  }
}
