package dev.tenantkit.adapters.spring.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenantkit.adapters.spring.internal.GatewayPeerCheck;
import dev.tenantkit.tenancy.NewTenant;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The attack of issue 11, over real HTTP on the embedded Tomcat with forwarded-header processing
 * on: a client with no credential sends {@code X-Forwarded-For} naming an address in the gateway's
 * trusted range and {@code X-Tenant-ID} naming a victim. Tomcat's RemoteIpValve (native) or
 * Spring's ForwardedHeaderFilter (framework) then report the forged address as {@code
 * getRemoteAddr()}; the gateway resolver must check the TCP peer (127.0.0.1 here) instead.
 */
class GatewayBehindForwardingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path dataDir;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
    registry.add(
        "spring.datasource.url",
        () ->
            "jdbc:h2:mem:gw-"
                + System.nanoTime()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"
                + ";DB_CLOSE_DELAY=-1");
  }

  /** A trusted range that does not hold the client's real address, 127.0.0.1. */
  abstract static class Attack {
    @LocalServerPort int port;
    @Autowired Tenancy tenancy;

    @BeforeEach
    void victim() {
      if (tenancy.tenants().find(TenantId.of("globex")).isEmpty()) {
        tenancy.tenants().create(NewTenant.of(TenantId.of("globex"), "Globex", "free"));
      }
    }

    @Test
    void aForgedForwardedAddressDoesNotMakeAClientTheGateway() throws Exception {
      // The forwarding is really on: the application sees the forged address.
      HttpResponse<String> seen = get("/api/public/remote-addr");
      assertThat(JSON.readTree(seen.body()).get("remoteAddr").asText()).isEqualTo("10.9.9.9");

      HttpResponse<String> attack = get("/api/whoami");
      assertThat(attack.statusCode()).as(attack.body()).isEqualTo(401);
      JsonNode problem = JSON.readTree(attack.body());
      assertThat(problem.get("type").asText()).endsWith("missing-credential");
    }

    HttpResponse<String> get(String path) throws Exception {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .header("X-Forwarded-For", "10.9.9.9")
              .header("X-Tenant-ID", "globex")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  @Nested
  @SpringBootTest(
      classes = TestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "server.forward-headers-strategy=native",
        "tenantkit.resolvers.order=api-key,gateway",
        "tenantkit.resolvers.gateway.trusted-proxies=10.0.0.0/8",
        "tenantkit.filter.exclude-paths=/api/public/**"
      })
  class WithTomcatsRemoteIpValve extends Attack {}

  @Nested
  @SpringBootTest(
      classes = TestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "server.forward-headers-strategy=framework",
        "tenantkit.resolvers.order=api-key,gateway",
        "tenantkit.resolvers.gateway.trusted-proxies=10.0.0.0/8",
        "tenantkit.filter.exclude-paths=/api/public/**"
      })
  class WithSpringsForwardedHeaderFilter extends Attack {}

  /** The real gateway, 127.0.0.1, is trusted whatever X-Forwarded-For says about its client. */
  @Nested
  @SpringBootTest(
      classes = TestApp.class,
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {
        "spring.main.cloud-platform=kubernetes",
        "tenantkit.resolvers.order=api-key,gateway",
        "tenantkit.resolvers.gateway.trusted-proxies=127.0.0.1",
        "tenantkit.filter.exclude-paths=/api/public/**"
      })
  class FromTheRealGateway {
    @LocalServerPort int port;
    @Autowired Tenancy tenancy;
    @Autowired GatewayPeerCheck.Outcome outcome;

    @Test
    void itsTenantHeaderIsTrusted() throws Exception {
      assertThat(outcome).isEqualTo(GatewayPeerCheck.Outcome.TCP_PEER);
      if (tenancy.tenants().find(TenantId.of("globex")).isEmpty()) {
        tenancy.tenants().create(NewTenant.of(TenantId.of("globex"), "Globex", "free"));
      }
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/whoami"))
                  .header("X-Forwarded-For", "203.0.113.9")
                  .header("X-Tenant-ID", "globex")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(JSON.readTree(r.body()).get("tenant").asText()).isEqualTo("globex");
    }
  }
}
