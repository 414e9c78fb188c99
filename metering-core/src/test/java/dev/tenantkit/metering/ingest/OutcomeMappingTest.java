package dev.tenantkit.metering.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.TenantId;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The member named for each rejection the meter itself makes (not the mapper), against the real
 * validator: {@link OutcomeMapping} tells some apart by their detail.
 */
class OutcomeMappingTest {
  private final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
          .catalog(
              MeterCatalog.builder()
                  .add(MeterDefinition.builder("calls").dimensions("region").build())
                  .add(
                      MeterDefinition.builder("llm")
                          .dimensions("model")
                          .valuePath("$.n")
                          .dimensionPath("model", "$.m.name")
                          .build())
                  .build())
          .build();
  private final UsageIngestor ingestor = UsageIngestor.builder(metering).build();

  @AfterEach
  void close() {
    metering.close();
  }

  private EventResult result(String type, String source, String data) {
    String body =
        "{\"specversion\":\"1.0\",\"id\":\"e\",\"source\":"
            + source
            + ",\"type\":\""
            + type
            + "\",\"data\":"
            + data
            + "}";
    return ingestor
        .ingest(TenantId.of("acme"), body.getBytes(StandardCharsets.UTF_8), Shape.SINGLE)
        .results()
        .get(0);
  }

  @Test
  void eachRejectionNamesItsMember() {
    String longText = "\"" + "x".repeat(300) + "\"";
    assertThat(result("calls", "\"s\"", "{\"dimensions\":{\"region\":" + longText + "}}").field())
        .isEqualTo("data.dimensions.region");
    assertThat(result("llm", "\"s\"", "{\"n\":1,\"m\":{\"name\":" + longText + "}}").field())
        .isEqualTo("data.m.name");
    assertThat(result("calls", "\"s\"", "{\"userId\":" + longText + "}").field())
        .isEqualTo("data.userId");
    assertThat(result("calls", "\"s\"", "{\"userId\":\"a\\u0001\"}").field())
        .isEqualTo("data.userId");
    assertThat(result("calls", longText, "{}").field()).isEqualTo("source");
    assertThat(result("calls", "\"s\\u0001\"", "{}").field()).isEqualTo("source");
    assertThat(
            result("calls", "\"s\"", "{\"properties\":{\"p\":\"" + "x".repeat(9000) + "\"}}")
                .field())
        .isEqualTo("data.properties");
    assertThat(result("calls", "\"s\"", "{\"quantity\":1.5}").field()).isEqualTo("data.quantity");
    assertThat(result("llm", "\"s\"", "{\"n\":\"1.5\"}").field()).isEqualTo("data.n");
    assertThat(result("llm", "\"s\"", "{\"n\":\"1.5\"}").reason()).isEqualTo("invalid-quantity");
  }
}
