package dev.tenantkit.examples.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tenantkit.examples.sample.Callers.Caller;
import dev.tenantkit.examples.sample.Http.Answer;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.quota.QuotaEnforcer;
import dev.tenantkit.tenancy.Tenancy;
import dev.tenantkit.tenancy.TenantId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Usage ingestion over HTTP in the sample app ({@code POST /api/events}), and the curl and Python
 * examples of docs/metering.md run exactly as written there against it. Those need {@code curl} and
 * {@code python3} with {@code requests}; without them the test fails rather than skips, so the docs
 * cannot drift unnoticed.
 */
@SpringBootTest(
    classes = SampleApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "tenantkit.operator-key=ingest-api-test-operator-key-0123456789")
class IngestApiTest {
  private static final Path METERING_MD = Path.of("../../docs/metering.md");
  private static final String SINGLE = "application/cloudevents+json";
  private static final String BATCH = "application/cloudevents-batch+json";

  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired Tenancy tenancy;
  @Autowired QuotaEnforcer quotas;
  @Autowired Metering metering;

  private Http http;
  private Callers callers;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("tenantkit.data-dir", () -> dataDir.toString());
  }

  @BeforeEach
  void setUp() {
    http = new Http(port);
    callers = new Callers(tenancy, quotas);
  }

  private Answer post(Caller c, String contentType, String body) {
    return http.sendBytes(
        "POST",
        "/api/events",
        contentType,
        body.getBytes(StandardCharsets.UTF_8),
        "Authorization",
        c.bearer());
  }

  private List<UsageEvent> events(TenantId tenant, String meter) {
    return metering
        .queries()
        .events(tenant, new EventFilter(meter, null, null, null), null, 100)
        .items()
        .stream()
        .map(RecordedEvent::event)
        .toList();
  }

  private static String llm(String id, int tokens, String extra) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\"//svc\",\"type\":\"llm_tokens\""
        + extra
        + ",\"data\":{\"tokens\":"
        + tokens
        + ",\"model\":\"small\",\"latencyMs\":42}}";
  }

  @Test
  void theDemoMeterReadsItsValueFromItsPathAndTheScopeUsageWriteIsNeeded() {
    Caller c = callers.tenant("free");
    Answer accepted = post(c, SINGLE, llm("e1", 812, "")).assertStatus(202);
    assertThat(accepted.json().path("status").asText()).isEqualTo("accepted");
    UsageEvent e = events(c.tenant(), "llm_tokens").get(0);
    assertThat(e.quantity()).isEqualByComparingTo("812");
    assertThat(e.dimensions()).isEqualTo(Map.of("model", "small"));
    assertThat(e.source()).isEqualTo("//svc");

    Caller readOnly = callers.key(c.tenant(), "usage:read");
    Answer refused = post(readOnly, SINGLE, llm("e2", 1, "")).assertProblem(403, "missing-scope");
    assertThat(refused.json().path("scope").asText()).isEqualTo("usage:write");
    post(callers.key(c.tenant(), "usage:write"), SINGLE, llm("e2", 1, "")).assertStatus(202);
  }

  @Test
  void onlyLlmTokensMayBeWrittenNotTheMetersTheAppRecordsItself() {
    Caller c = callers.tenant("free");
    for (String meter : List.of("storage_bytes", "api_calls", "tokens")) {
      Answer refused =
          post(
                  c,
                  SINGLE,
                  "{\"specversion\":\"1.0\",\"id\":\"f-"
                      + meter
                      + "\",\"source\":\"//forge\",\"type\":\""
                      + meter
                      + "\",\"data\":{\"quantity\":-5000000}}")
              .assertProblem(403, "meter-not-ingestible");
      assertThat(refused.json().path("field").asText()).isEqualTo("type");
      assertThat(events(c.tenant(), meter)).isEmpty();
    }
  }

  @Test
  void aBatchAnswersPerEventAndNeverWritesIntoAnotherTenant() {
    Caller acme = callers.tenant("free");
    Caller other = callers.tenant("free");
    post(other, SINGLE, llm("g1", 5, "")).assertStatus(202);
    String body =
        "["
            + llm("g1", 7, "")
            + ","
            + llm("a2", 9, ",\"subject\":\"" + other.tenant().value() + "\"")
            + ","
            + llm("a3", 3, ",\"time\":\"2001-01-01T00:00:00Z\"")
            + "]";
    JsonNode answer = post(acme, BATCH, body).assertStatus(200).json();
    assertThat(answer.path("accepted").asInt()).isEqualTo(1);
    assertThat(answer.path("rejected").asInt()).isEqualTo(2);
    assertThat(answer.path("results").get(1).path("field").asText()).isEqualTo("subject");
    assertThat(answer.path("results").get(2).path("reason").asText()).isEqualTo("event-too-late");
    assertThat(answer.toString()).doesNotContain(other.tenant().value());
    assertThat(events(other.tenant(), "llm_tokens"))
        .extracting(UsageEvent::quantity)
        .singleElement()
        .satisfies(q -> assertThat(q).isEqualByComparingTo("5"));
    assertThat(events(acme.tenant(), "llm_tokens"))
        .extracting(UsageEvent::quantity)
        .singleElement()
        .satisfies(q -> assertThat(q).isEqualByComparingTo("7"));
  }

  @Test
  void theCurlExampleOfTheDocsRunsAsWritten() throws Exception {
    Caller c = callers.tenant("free");
    Snippet curl = snippet("<!-- tested: ingest-curl -->\n```sh\n");
    assertThat(run(c, List.of("bash", "-c", curl.code()))).isEqualTo(curl.output());
    assertThat(events(c.tenant(), "llm_tokens"))
        .extracting(UsageEvent::quantity)
        .singleElement()
        .satisfies(q -> assertThat(q).isEqualByComparingTo("812"));
  }

  @Test
  void thePythonExampleOfTheDocsRunsAsWritten() throws Exception {
    Caller c = callers.tenant("free");
    Snippet python = snippet("<!-- tested: ingest-python -->\n```python\n");
    assertThat(run(c, List.of("python3", "-c", python.code()))).isEqualTo(python.output());
    assertThat(events(c.tenant(), "llm_tokens")).hasSize(2);
  }

  /** A code block of the docs and the output its trailing {@code # } lines show. */
  private record Snippet(String code, String output) {}

  private static Snippet snippet(String start) throws IOException {
    String md = Files.readString(METERING_MD, StandardCharsets.UTF_8);
    int from = md.indexOf(start);
    assertThat(from).as("'%s' in docs/metering.md", start.strip()).isNotNegative();
    from += start.length();
    int to = md.indexOf("```\n", from);
    List<String> lines = new ArrayList<>(md.substring(from, to).lines().toList());
    List<String> output = new ArrayList<>();
    while (!lines.isEmpty() && lines.get(lines.size() - 1).startsWith("# ")) {
      output.add(0, lines.remove(lines.size() - 1).substring(2));
    }
    assertThat(output).as("the expected output of %s", start.strip()).isNotEmpty();
    return new Snippet(String.join("\n", lines) + "\n", String.join("\n", output));
  }

  /** Runs {@code command} with the server's URL and the caller's key in the environment. */
  private String run(Caller c, List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TENANTKIT_URL", "http://127.0.0.1:" + port);
    pb.environment().put("TENANTKIT_API_KEY", c.key());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command.get(0)).isTrue();
    assertThat(p.exitValue()).as("exit status of %s; output:%n%s", command.get(0), out).isZero();
    return out.strip();
  }
}
