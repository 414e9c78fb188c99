package dev.tenantkit.adapters.servlet;

import static dev.tenantkit.adapters.servlet.UsageIngestServletTest.BATCH;
import static dev.tenantkit.adapters.servlet.UsageIngestServletTest.SINGLE;
import static dev.tenantkit.adapters.servlet.UsageIngestServletTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.ApiKeyRequest;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantAccess;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.TenantResolvers;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a hostile caller sends to {@link UsageIngestServlet}: each answer is a 4xx problem (never a
 * 500), a built-in meter cannot be written, and every request refused as a whole is counted.
 */
class UsageIngestServletHardeningTest {
  static final TenantId ACME = TenantId.of("acme");

  final FakeClock clock = FakeClock.at(UsageIngestServletTest.NOW);
  final Tenancy tenancy = Tenancy.builder().clock(clock).build();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
          .clock(clock)
          .catalog(
              MeterCatalog.builder()
                  .addAll(Meters.BUILT_INS)
                  .add(MeterDefinition.builder("calls").build())
                  .build())
          .build();
  final String key;
  final String readOnly;
  final Harness http;

  UsageIngestServletHardeningTest() throws Exception {
    tenancy.tenants().create(NewTenant.of(ACME, "Acme", "free"));
    key = tenancy.apiKeys().issue(ACME, ApiKeyRequest.fullAccess("test")).secret();
    readOnly =
        tenancy.apiKeys().issue(ACME, new ApiKeyRequest("r", Set.of("usage:read"), null)).secret();
    TenantAccess access =
        TenantAccess.of(
            TenantResolvers.chain(TenantResolvers.apiKey(tenancy.apiKeys())), tenancy.tenants());
    UsageIngestServlet servlet =
        UsageIngestServlet.builder(metering).meterRegistry(registry).build();
    http =
        Harness.start(
            context -> {
              context.addFilter(
                  new FilterHolder(TenantFilter.builder(access).build()),
                  "/api/*",
                  EnumSet.of(DispatcherType.REQUEST));
              context.addServlet(new ServletHolder(servlet), "/api/events");
            });
  }

  @AfterEach
  void close() {
    http.close();
    metering.close();
  }

  Harness.Response post(String contentType, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + key;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return http.send("POST", "/api/events", contentType, body, all);
  }

  Harness.Response postBytes(byte[] body) {
    return http.send(
        HttpRequest.newBuilder(http.uri("/api/events"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", SINGLE)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  double refused(String code) {
    return registry.counter("tenantkit.usage.ingest.requests.refused", "code", code).count();
  }

  @Test
  void aNumberWithAHugeExponentIs400NamingTheBodyAndABatchWritesNothing() {
    Harness.Response one =
        post(SINGLE, event("a", "calls", "\"data\":{\"quantity\":1e-2147483648}"));
    assertThat(one.status()).isEqualTo(400);
    assertThat(one.code()).isEqualTo("invalid-input");
    assertThat(one.json().path("field").asText()).isEqualTo("body");
    Harness.Response batch = post(BATCH, "[" + event("g", "calls", "") + ",1E+9999999999]");
    assertThat(batch.status()).isEqualTo(400);
    Harness.Response text =
        post(SINGLE, event("s", "calls", "\"data\":{\"quantity\":\"1E+9999999999\"}"));
    assertThat(text.status()).isEqualTo(400);
    assertThat(text.code()).isEqualTo("invalid-quantity");
    assertThat(text.json().path("field").asText()).isEqualTo("data.quantity");
    assertThat(metering.queries().events(ACME, EventFilter.all(), null, 10).items()).isEmpty();
  }

  @Test
  void aBuiltInMeterIs403MeterNotIngestible() {
    Harness.Response r =
        post(SINGLE, event("f1", "storage_bytes", "\"data\":{\"quantity\":-5000000}"));
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.code()).isEqualTo("meter-not-ingestible");
    assertThat(r.json().path("field").asText()).isEqualTo("type");
    assertThat(post(SINGLE, event("c1", "calls", "")).status()).isEqualTo(202);
  }

  @Test
  void aBodyThatIsNotUtf8IsRefused() {
    byte[] utf16 = event("u", "calls", "").getBytes(StandardCharsets.UTF_16LE);
    ByteArrayOutputStream withBom = new ByteArrayOutputStream();
    withBom.write(0xFF);
    withBom.write(0xFE);
    withBom.writeBytes(utf16);
    Harness.Response bom = postBytes(withBom.toByteArray());
    assertThat(bom.status()).isEqualTo(415);
    assertThat(bom.code()).isEqualTo("unsupported-media-type");
    ByteArrayOutputStream bad = new ByteArrayOutputStream();
    String text = event("u-#", "calls", "");
    int at = text.indexOf('#');
    bad.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
    bad.write(0xC0);
    bad.write(0xAF);
    bad.writeBytes(text.substring(at + 1).getBytes(StandardCharsets.UTF_8));
    Harness.Response invalid = postBytes(bad.toByteArray());
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().path("field").asText()).isEqualTo("body");
  }

  @Test
  void aContentEncodingOtherThanIdentityIs415NamingIt() {
    Harness.Response r = post(SINGLE, event("z", "calls", ""), "Content-Encoding", "gzip");
    assertThat(r.status()).isEqualTo(415);
    assertThat(r.json().path("detail").asText()).contains("'gzip'");
    assertThat(r.header("Accept-Encoding")).isEqualTo("identity");
    assertThat(post(SINGLE, event("z", "calls", ""), "Content-Encoding", "identity").status())
        .isEqualTo(202);
  }

  @Test
  void aClosedUsageMeterIs503WithRetryAfter() {
    metering.close();
    Harness.Response r = post(SINGLE, event("x", "calls", ""));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.code()).isEqualTo("store-unavailable");
    assertThat(r.header("Retry-After")).isEqualTo("5");
    assertThat(refused("store-unavailable")).isEqualTo(1);
  }

  @Test
  void requestsRefusedAsAWholeAreCountedByCode() {
    post("text/plain", event("a", "calls", ""));
    post(SINGLE, "{");
    post(SINGLE, event("a", "calls", ""), "Content-Encoding", "br");
    http.send(
        "POST",
        "/api/events",
        SINGLE,
        event("a", "calls", ""),
        "Authorization",
        "Bearer " + readOnly);
    post(BATCH, "[" + "{},".repeat(1_001) + "{}]");
    assertThat(refused("unsupported-media-type")).isEqualTo(2);
    assertThat(refused("invalid-input")).isEqualTo(1);
    assertThat(refused("missing-scope")).isEqualTo(1);
    assertThat(refused("payload-too-large")).isEqualTo(1);
  }
}
