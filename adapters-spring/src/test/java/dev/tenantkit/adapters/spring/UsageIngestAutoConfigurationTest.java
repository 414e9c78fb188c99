package dev.tenantkit.adapters.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.adapters.servlet.UsageIngestServlet;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.tenancy.TenantBinding;
import dev.tenantkit.tenancy.TenantContext;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.memory.InMemoryTenancyStore;
import dev.tenantkit.tenancy.spi.TenancyStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** Usage ingestion over HTTP as the metering auto-configuration registers it. */
class UsageIngestAutoConfigurationTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final String REGISTRATION = "usageIngestServletRegistration";

  @TempDir Path dir;

  private WebApplicationContextRunner runner() {
    return new WebApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                TenantkitDataSourceAutoConfiguration.class,
                TenantkitAutoConfiguration.class,
                TenantkitMeteringAutoConfiguration.class,
                TenantkitServletAutoConfiguration.class))
        .withPropertyValues("tenantkit.data-dir=" + dir.resolve("data"))
        .withBean(TenancyStore.class, InMemoryTenancyStore::create);
  }

  private WebApplicationContextRunner enabled() {
    return runner().withPropertyValues("tenantkit.metering.ingest.enabled=true");
  }

  @Test
  void itIsOffUnlessEnabledSoAnUpgradedAppWithItsOwnPatternsStillStarts() {
    runner().run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(REGISTRATION));
    runner()
        .withPropertyValues("tenantkit.filter.url-patterns=/v1/*")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(REGISTRATION));
    StartupFailures.assertFailsNaming(
        enabled().withPropertyValues("tenantkit.filter.url-patterns=/v1/*"),
        "tenantkit.metering.ingest.path",
        "do not cover");
  }

  @Test
  void theMetersItMayWriteAreTheCatalogsMinusTheBuiltInsUnlessListed() {
    String storage =
        "{\"specversion\":\"1.0\",\"id\":\"f1\",\"source\":\"//f\",\"type\":\"storage_bytes\","
            + "\"data\":{\"quantity\":-5}}";
    enabled()
        .run(
            ctx -> {
              MockHttpServletResponse r = post(ctx, Set.of("usage:write"), storage);
              assertThat(r.getStatus()).isEqualTo(403);
              assertThat(r.getContentAsString()).contains("meter-not-ingestible");
            });
    enabled()
        .withPropertyValues("tenantkit.metering.ingest.meters=storage_bytes")
        .run(
            ctx ->
                assertThat(post(ctx, Set.of("usage:write"), storage).getStatus()).isEqualTo(202));
    StartupFailures.assertFailsNaming(
        enabled().withPropertyValues("tenantkit.metering.ingest.meters=nope"),
        "tenantkit.metering.ingest.meters",
        "nope");
  }

  @Test
  void onceEnabledItIsServedAtApiEventsAndRecordsForTheBoundTenant() {
    enabled()
        .withBean(
            MeterCatalog.class,
            () ->
                MeterCatalog.builder()
                    .add(
                        MeterDefinition.builder("llm_tokens")
                            .dimensions("model")
                            .valuePath("$.tokens")
                            .dimensionPath("model", "$.model")
                            .build())
                    .build())
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .run(
            ctx -> {
              assertThat(ctx).hasNotFailed();
              ServletRegistrationBean<?> registration = registration(ctx);
              assertThat(registration.getUrlMappings()).containsExactly("/api/events");
              assertThat(registration.getServlet()).isInstanceOf(UsageIngestServlet.class);

              MockHttpServletResponse accepted =
                  post(
                      ctx,
                      Set.of("usage:write"),
                      "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"//svc\","
                          + "\"type\":\"llm_tokens\",\"data\":{\"tokens\":812,\"model\":\"s\"}}");
              assertThat(accepted.getStatus()).isEqualTo(202);
              Metering metering = ctx.getBean(Metering.class);
              assertThat(
                      metering
                          .queries()
                          .events(ACME, EventFilter.all(), null, 10)
                          .items()
                          .get(0)
                          .event()
                          .quantity())
                  .isEqualByComparingTo("812");
              assertThat(
                      ctx.getBean(MeterRegistry.class)
                          .counter(
                              "tenantkit.usage.ingest.events",
                              "status",
                              "accepted",
                              "reason",
                              "none")
                          .count())
                  .isEqualTo(1);

              MockHttpServletResponse refused =
                  post(ctx, Set.of("usage:read"), "{\"specversion\":\"1.0\"}");
              assertThat(refused.getStatus()).isEqualTo(403);
              assertThat(refused.getContentAsString()).contains("usage:write");
            });
  }

  @Test
  void thePathAndScopeCanBeSetAndItCanBeTurnedOff() {
    enabled()
        .withPropertyValues(
            "tenantkit.metering.ingest.path=/api/v2/usage-events",
            "tenantkit.metering.ingest.scope=events:write")
        .run(
            ctx -> {
              assertThat(registration(ctx).getUrlMappings())
                  .containsExactly("/api/v2/usage-events");
              assertThat(post(ctx, Set.of("usage:write"), "{}").getStatus()).isEqualTo(403);
            });
    runner()
        .withPropertyValues("tenantkit.metering.ingest.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(REGISTRATION));
    enabled()
        .withPropertyValues("tenantkit.metering.enabled=false")
        .run(ctx -> assertThat(ctx).hasNotFailed().doesNotHaveBean(REGISTRATION));
  }

  @Test
  void aPathTheTenantFilterDoesNotCoverOrAMalformedOneStopsStartup() {
    StartupFailures.assertFailsNaming(
        enabled().withPropertyValues("tenantkit.metering.ingest.path=/events"),
        "tenantkit.metering.ingest.path",
        "do not cover");
    StartupFailures.assertFailsNaming(
        enabled().withPropertyValues("tenantkit.metering.ingest.path=/api/*"),
        "tenantkit.metering.ingest.path",
        "without wildcards");
    StartupFailures.assertFailsNaming(
        enabled().withPropertyValues("tenantkit.metering.ingest.scope=not a scope"),
        "tenantkit.metering.ingest.scope",
        "not a valid scope");
  }

  @Test
  void itsPropertiesHaveMetadata() throws Exception {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(metadata)
          .contains(
              "\"tenantkit.metering.ingest.enabled\"",
              "\"tenantkit.metering.ingest.path\"",
              "\"tenantkit.metering.ingest.scope\"",
              "\"tenantkit.metering.ingest.meters\"");
    }
  }

  private static ServletRegistrationBean<?> registration(AssertableWebApplicationContext ctx) {
    return ctx.getBean(REGISTRATION, ServletRegistrationBean.class);
  }

  private static MockHttpServletResponse post(
      AssertableWebApplicationContext ctx, Set<String> scopes, String body) throws Exception {
    UsageIngestServlet servlet = (UsageIngestServlet) registration(ctx).getServlet();
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/events");
    request.setContentType("application/cloudevents+json");
    request.setContent(body.getBytes(StandardCharsets.UTF_8));
    MockHttpServletResponse response = new MockHttpServletResponse();
    TenantBinding binding =
        new TenantBinding(ACME, scopes, TenantBinding.Credential.API_KEY, "key-1");
    TenantContext.run(
        binding,
        () -> {
          try {
            servlet.service(request, response);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return response;
  }
}
