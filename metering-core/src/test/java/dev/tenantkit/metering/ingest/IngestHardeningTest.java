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

  @Nested
  class Encoding {
    @Test
    void bytesThatAreNotWellFormedUtf8AreInvalidInputOfTheBody() {
      byte[][] bad = {
        {(byte) 0xFF}, // never valid
        {(byte) 0xC0, (byte) 0xAF}, // over-long '/'
        {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80} // an encoded surrogate
      };
      for (byte[] b : bad) {
        byte[] head = "{\"specversion\":\"1.0\",\"id\":\"u-".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\",\"source\":\"//u\",\"type\":\"calls\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + b.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(b, 0, body, head.length, b.length);
        System.arraycopy(tail, 0, body, head.length + b.length, tail.length);
        assertThatThrownBy(() -> ingestor.ingest(ACME, body, Shape.EITHER))
            .isInstanceOfSatisfying(
                InvalidInputException.class,
                e -> {
                  assertThat(e.field()).isEqualTo("body");
                  assertThat(e.getMessage()).contains("UTF-8");
                });
      }
      assertThat(one(event("u-/", "calls", "")).status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void aTimeWithoutSecondsIsNotRfc3339() {
      EventResult r = one(event("t", "calls", "\"time\":\"2026-03-02T09:59Z\""));
      assertThat(r.status()).isEqualTo(Status.REJECTED);
      assertThat(r.field()).isEqualTo("time");
      assertThat(one(event("t2", "calls", "\"time\":\"2026-03-02t10:59:00.5+01:00\"")).status())
          .isEqualTo(Status.ACCEPTED);
    }

    @Test
    void detailsEchoNoControlCharactersAndABoundedType() {
      EventResult time = one(event("t", "calls", "\"time\":\"\\u001B[31mRED\\r\\nX-Injected: 1\""));
      assertThat(time.detail()).doesNotContain("\u001B", "\r", "\n").contains("\\u001B");
      EventResult type = one(event("m", "calls\\ud800" + "x".repeat(500), ""));
      assertThat(type.reason()).isEqualTo("unknown-meter");
      assertThat(type.detail()).doesNotContain("\ud800").hasSizeLessThan(200);
    }
  }

  @Nested
  class IngestibleMeters {
    final Metering withBuiltIns =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(
                MeterCatalog.builder()
                    .addAll(dev.tenantkit.metering.Meters.BUILT_INS)
                    .add(LLM)
                    .build())
            .clock(FakeClock.at(NOW))
            .build();

    @AfterEach
    void closeIt() {
      withBuiltIns.close();
    }

    @Test
    void byDefaultTheBuiltInMetersThatTheHostRecordsAreNotIngestible() {
      UsageIngestor byDefault = UsageIngestor.builder(withBuiltIns).build();
      IngestResponse r =
          byDefault.ingest(
              ACME,
              ("["
                      + event("a", "storage_bytes", "\"data\":{\"quantity\":-5000000}")
                      + ","
                      + event("b", "api_calls", "")
                      + ","
                      + event("c", "llm_tokens", "\"data\":{\"tokens\":3}")
                      + ","
                      + event("d", "nope", "")
                      + "]")
                  .getBytes(StandardCharsets.UTF_8),
              Shape.BATCH);
      assertThat(r.results())
          .extracting(EventResult::status, EventResult::reason, EventResult::field)
          .containsExactly(
              tuple(Status.REJECTED, UsageIngestor.METER_NOT_INGESTIBLE, "type"),
              tuple(Status.REJECTED, UsageIngestor.METER_NOT_INGESTIBLE, "type"),
              tuple(Status.ACCEPTED, null, null),
              tuple(Status.REJECTED, "unknown-meter", "type"));
    }

    @Test
    void anExplicitListMayNameAnyMeterOfTheCatalogAndOnlyThose() {
      UsageIngestor tokensOnly =
          UsageIngestor.builder(withBuiltIns).ingestibleMeters(java.util.Set.of("tokens")).build();
      IngestResponse r =
          tokensOnly.ingest(
              ACME,
              ("["
                      + event("a", "tokens", "\"data\":{\"quantity\":5}")
                      + ","
                      + event("b", "llm_tokens", "\"data\":{\"tokens\":3}")
                      + "]")
                  .getBytes(StandardCharsets.UTF_8),
              Shape.BATCH);
      assertThat(r.results())
          .extracting(EventResult::status, EventResult::reason)
          .containsExactly(
              tuple(Status.ACCEPTED, null),
              tuple(Status.REJECTED, UsageIngestor.METER_NOT_INGESTIBLE));
      assertThatThrownBy(
              () -> UsageIngestor.builder(withBuiltIns).ingestibleMeters(java.util.Set.of("nope")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("nope");
    }
  }

  /**
   * For a buffered meter, {@code accepted} means "taken into the buffer": the key is settled when
   * the buffer is written, so a duplicate counts once and a conflict is dropped there, logged and
   * counted, as docs/metering.md states.
   */
  @Nested
  class BufferedMeters {
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry registry =
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    final Metering buffered =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(MeterCatalog.builder().add(UsageIngestorTest.CLICKS).build())
            .clock(FakeClock.at(NOW))
            .meterRegistry(registry)
            .build();
    final UsageIngestor clicks = UsageIngestor.builder(buffered).build();

    @AfterEach
    void closeIt() {
      buffered.close();
    }

    Status post(String quantity) {
      return clicks
          .ingest(
              ACME,
              event("x", "clicks", "\"data\":{\"quantity\":" + quantity + "}")
                  .getBytes(StandardCharsets.UTF_8),
              Shape.SINGLE)
          .results()
          .get(0)
          .status();
    }

    @Test
    void aDuplicateCountsOnceAndAConflictIsDroppedAtFlushAndCounted() {
      assertThat(post("1")).isEqualTo(Status.ACCEPTED);
      buffered.usageMeter().flush();
      assertThat(post("2")).isEqualTo(Status.ACCEPTED);
      assertThat(post("1")).isEqualTo(Status.ACCEPTED);
      buffered.usageMeter().flush();
      assertThat(
              buffered
                  .queries()
                  .events(ACME, dev.tenantkit.metering.EventFilter.all(), null, 10)
                  .items())
          .singleElement()
          .satisfies(e -> assertThat(e.event().quantity()).isEqualByComparingTo("1"));
      assertThat(
              registry
                  .counter("tenantkit.usage.events.rejected", "reason", "idempotency-conflict")
                  .count())
          .isEqualTo(1);
      assertThat(registry.counter("tenantkit.usage.events.duplicates", "meter", "clicks").count())
          .isEqualTo(1);
    }
  }
}
