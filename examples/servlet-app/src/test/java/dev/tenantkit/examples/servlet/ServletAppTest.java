package dev.tenantkit.examples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServletAppTest {
  private static final String OPERATOR_KEY = "example-operator-key-42";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private Server server;
  private String base;

  @BeforeEach
  void start() throws Exception {
    server = ServletApp.start(0, OPERATOR_KEY);
    base = "http://localhost:" + ServletApp.port(server);
  }

  @AfterEach
  void stop() throws Exception {
    server.stop();
  }

  @Test
  void anOperatorCreatesATenantAndIssuesAKeyThatTheTenantUsesToReadItself() throws Exception {
    HttpResponse<String> created =
        send(
            admin("/admin/tenants")
                .header("Content-Type", "application/json")
                .POST(body("{\"id\":\"acme\",\"name\":\"Acme\",\"plan\":\"pro\"}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    send(
        admin("/admin/tenants")
            .header("Content-Type", "application/json")
            .POST(body("{\"id\":\"beta\",\"name\":\"Beta\",\"plan\":\"free\"}")));

    HttpResponse<String> issued =
        send(admin("/admin/tenants/acme/api-keys").POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    String acmeKey = JSON.readTree(issued.body()).path("key").asText();
    String betaKey =
        JSON.readTree(
                send(admin("/admin/tenants/beta/api-keys")
                        .POST(HttpRequest.BodyPublishers.noBody()))
                    .body())
            .path("key")
            .asText();

    JsonNode acme = getTenant(acmeKey);
    assertThat(acme.path("id").asText()).isEqualTo("acme");
    assertThat(acme.path("name").asText()).isEqualTo("Acme");
    assertThat(acme.path("plan").asText()).isEqualTo("pro");
    assertThat(acme.path("status").asText()).isEqualTo("active");
    assertThat(acme.path("settings").path("branding").isObject()).isTrue();
    assertThat(getTenant(betaKey).path("id").asText()).isEqualTo("beta");
  }

  @Test
  void theTenantApiNeedsAKeyAndTheAdminApiTheOperatorKey() throws Exception {
    HttpResponse<String> noKey =
        send(HttpRequest.newBuilder(URI.create(base + "/api/tenant")).GET());
    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(noKey.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    HttpResponse<String> foreignToken =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/tenant"))
                .header("Authorization", "Bearer " + OPERATOR_KEY)
                .GET());
    assertThat(foreignToken.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(foreignToken.body()).path("code").asText())
        .isEqualTo("invalid-credential");

    HttpResponse<String> noOperator =
        send(HttpRequest.newBuilder(URI.create(base + "/admin/tenants")).GET());
    assertThat(noOperator.statusCode()).isEqualTo(401);
    assertThat(send(admin("/admin/tenants").GET()).statusCode()).isEqualTo(200);
  }

  private JsonNode getTenant(String apiKey) throws IOException, InterruptedException {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(URI.create(base + "/api/tenant"))
                .header("Authorization", "Bearer " + apiKey)
                .GET());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + OPERATOR_KEY);
  }

  private static HttpRequest.BodyPublisher body(String json) {
    return HttpRequest.BodyPublishers.ofString(json);
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
