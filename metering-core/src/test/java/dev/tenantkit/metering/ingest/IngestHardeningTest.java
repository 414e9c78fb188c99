package dev.tenantkit.metering.ingest;

import static dev.tenantkit.metering.ingest.UsageIngestorTest.ACME;
import static dev.tenantkit.metering.ingest.UsageIngestorTest.CALLS;
import static dev.tenantkit.metering.ingest.UsageIngestorTest.LLM;
import static dev.tenantkit.metering.ingest.UsageIngestorTest.NOW;
import static dev.tenantkit.metering.ingest.UsageIngestorTest.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.ingest.EventResult.Status;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Input a hostile caller sends: each is a 4xx answer, never an exception HTTP answers with 500. */
class IngestHardeningTest {
  final Metering metering =
      Metering.builder()
          .store(InMemoryUsageStore.create())
          .catalog(MeterCatalog.builder().addAll(List.of(CALLS, LLM)).build())
          .clock(FakeClock.at(NOW))
          .build();
  final UsageIngestor ingestor = UsageIngestor.builder(metering).build();

  @AfterEach
  void close() {
    metering.close();
  }

  IngestResponse ingest(String body) {
    return ingestor.ingest(ACME, body.getBytes(StandardCharsets.UTF_8), Shape.EITHER);
  }

  EventResult one(String body) {
    return ingest(body).results().get(0);
  }

  @Nested
  class HugeExponents {
    static final List<String> HUGE = List.of("1e-2147483648", "1E+9999999999", "-1e2147483648");

    @Test
    void aNumberWhoseExponentIsOutOfRangeIsInvalidInputOfTheBodyWherever() {
      for (String n : HUGE) {
        String good = event("g", "calls", "");
        for (String body :
            List.of(
                event("a", "llm_tokens", "\"data\":{\"tokens\":" + n + "}"),
                event("a", "calls", "\"data\":{\"quantity\":" + n + "}"),
                event("a", "calls", "\"x\":" + n),
                "[" + good + "," + n + "]")) {
          assertThatThrownBy(() -> ingest(body))
              .as(body)
              .isInstanceOfSatisfying(
                  InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("body"));
        }
      }
    }

    @Test
    void aQuantityStringWhoseExponentIsOutOfRangeRejectsThatEventOnly() {
      for (String n : HUGE) {
        IngestResponse r =
            ingest(
                "["
                    + event("g" + n, "calls", "")
                    + ","
                    + event("a", "llm_tokens", "\"data\":{\"tokens\":\"" + n + "\"}")
                    + ","
                    + event("b", "calls", "\"data\":{\"quantity\":\"" + n + "\"}")
                    + "]");
        assertThat(r.results())
            .extracting(EventResult::status, EventResult::reason, EventResult::field)
            .as(n)
            .containsExactly(
                tuple(Status.ACCEPTED, null, null),
                tuple(Status.REJECTED, "invalid-quantity", "data.tokens"),
                tuple(Status.REJECTED, "invalid-quantity", "data.quantity"));
      }
    }
  }
}
