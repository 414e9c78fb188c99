package dev.tenantkit.metering.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whatever the body, the ingestor answers with per-event results or refuses the request as invalid
 * input or too large: never another exception, which HTTP would answer with a 500.
 */
class IngestFuzzTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final List<String> MEMBERS =
      List.of(
          "specversion",
          "id",
          "source",
          "type",
          "time",
          "subject",
          "datacontenttype",
          "data",
          "data_base64");
  private static final List<String> DATA_MEMBERS =
      List.of("quantity", "dimensions", "userId", "properties", "tokens", "model");
  private static final List<String> VALUES =
      List.of(
          "null",
          "true",
          "1",
          "-1",
          "0.5",
          "1e999999999",
          "-1E-999999999",
          "1e-2147483648",
          "1E+9999999999",
          "\"1e-2147483648\"",
          "\"1E+9999999999\"",
          "9".repeat(999),
          "\"\"",
          "\"1.0\"",
          "\"acme\"",
          "\"calls\"",
          "\"llm_tokens\"",
          "\"2026-03-02T10:00:00Z\"",
          "\"\\u0000\"",
          "\"" + "x".repeat(300) + "\"",
          "[]",
          "[1,\"a\"]",
          "{}",
          "{\"region\":1}",
          "{\"model\":\"a\"}",
          "\"1e18\"",
          "\"NaN\"",
          "\"application/xml\"");

  private final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
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
          .clock(FakeClock.at(Instant.parse("2026-03-02T10:00:00Z")))
          .build();
  private final UsageIngestor ingestor = UsageIngestor.builder(metering).build();
  private final Random random = new Random(12);

  @AfterEach
  void close() {
    metering.close();
  }

  private void answers(byte[] body) {
    for (Shape shape : Shape.values()) {
      try {
        IngestResponse r = ingestor.ingest(ACME, body, shape);
        assertThat(r.results()).allSatisfy(e -> assertThat(e.status()).isNotNull());
      } catch (InvalidInputException | IngestLimitException expected) {
        // A request refused as a whole: a 4xx.
      }
    }
  }

  @Test
  void randomBytes() {
    for (int i = 0; i < 300; i++) {
      byte[] b = new byte[random.nextInt(200)];
      random.nextBytes(b);
      answers(b);
    }
  }

  @Test
  void deepNesting() {
    answers(("[".repeat(100_000) + "]".repeat(100_000)).getBytes(StandardCharsets.UTF_8));
    answers(
        ("{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"s\",\"type\":\"llm_tokens\",\"data\":"
                + "{\"tokens\":".repeat(60)
                + "1"
                + "}".repeat(61))
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void wrongTypesAndOddValuesForEveryMember() {
    for (int i = 0; i < 2_000; i++) {
      List<String> members = new ArrayList<>();
      members.add("\"specversion\":\"1.0\"");
      members.add("\"id\":\"e" + i + "\"");
      members.add("\"source\":\"s\"");
      members.add("\"type\":" + (random.nextBoolean() ? "\"calls\"" : "\"llm_tokens\""));
      String name = MEMBERS.get(random.nextInt(MEMBERS.size()));
      members.removeIf(m -> m.startsWith("\"" + name + "\""));
      String value = VALUES.get(random.nextInt(VALUES.size()));
      if (name.equals("data") && random.nextBoolean()) {
        value =
            "{\""
                + DATA_MEMBERS.get(random.nextInt(DATA_MEMBERS.size()))
                + "\":"
                + VALUES.get(random.nextInt(VALUES.size()))
                + "}";
      }
      members.add("\"" + name + "\":" + value);
      String event = "{" + String.join(",", members) + "}";
      answers(event.getBytes(StandardCharsets.UTF_8));
      answers(("[" + event + "," + event + "]").getBytes(StandardCharsets.UTF_8));
    }
  }
}
