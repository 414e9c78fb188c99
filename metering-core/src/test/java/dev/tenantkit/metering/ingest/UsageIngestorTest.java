package dev.tenantkit.metering.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.Durability;
import dev.tenantkit.metering.EventFilter;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.RecordedEvent;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.ingest.EventResult.Status;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.GatedStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UsageIngestorTest {
  static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");

  static final MeterDefinition CALLS =
      MeterDefinition.builder("calls").dimensions("endpoint").build();
  static final MeterDefinition COST =
      MeterDefinition.builder("cost").decimal().dimensions("region").build();
  static final MeterDefinition LLM =
      MeterDefinition.builder("llm_tokens")
          .dimensions("model", "kind")
          .valuePath("$.tokens")
          .dimensionPath("model", "$.model")
          .dimensionPath("kind", "$['usage kind'].name")
          .build();
  static final MeterDefinition CLICKS =
      MeterDefinition.builder("clicks").durability(Durability.BUFFERED).build();

  final FakeClock clock = FakeClock.at(NOW);
  final GatedStore store = GatedStore.counting(InMemoryUsageStore.create());
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Metering metering =
      Metering.builder()
          .store(store)
          .catalog(MeterCatalog.builder().addAll(List.of(CALLS, COST, LLM, CLICKS)).build())
          .clock(clock)
          .build();
  final UsageIngestor ingestor = UsageIngestor.builder(metering).meterRegistry(registry).build();

  @AfterEach
  void close() {
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

  IngestResponse ingest(TenantId tenant, String body, Shape shape) {
    return ingestor.ingest(tenant, body.getBytes(StandardCharsets.UTF_8), shape);
  }

  EventResult one(String body) {
    IngestResponse r = ingest(ACME, body, Shape.SINGLE);
    assertThat(r.batch()).isFalse();
    assertThat(r.results()).hasSize(1);
    return r.results().get(0);
  }

  List<UsageEvent> stored(TenantId tenant) {
    metering.usageMeter().flush();
    return metering.queries().events(tenant, EventFilter.all(), null, 1000).items().stream()
        .map(RecordedEvent::event)
        .toList();
  }

  @Nested
  class Mapping {
    @Test
    void defaultDataMembersBecomeTheEvent() {
      EventResult r =
          one(
              event(
                  "e1",
                  "cost",
                  "\"time\":\"2026-03-02T09:30:00.123456Z\",\"subject\":\"acme\","
                      + "\"data\":{\"quantity\":\"0.10\",\"dimensions\":{\"region\":\"eu\"},"
                      + "\"userId\":\"u-7\",\"properties\":{\"job\":\"nightly\"}}"));
      assertThat(r).isEqualTo(new EventResult(0, "e1", Status.ACCEPTED, null, null, null));
      UsageEvent e = stored(ACME).get(0);
      assertThat(e.meter()).isEqualTo("cost");
      assertThat(e.quantity()).isEqualByComparingTo("0.1");
      assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-03-02T09:30:00.123456Z"));
      assertThat(e.dimensions()).isEqualTo(Map.of("region", "eu"));
      assertThat(e.properties()).isEqualTo(Map.of("job", "nightly"));
      assertThat(e.userId()).isEqualTo("u-7");
      assertThat(e.source()).isEqualTo("//svc");
      assertThat(e.idempotencyKey()).isEqualTo("ce:5://svc:e1");
    }

    @Test
    void withoutDataTheQuantityIsOneAndWithoutTimeTheMetersClockStampsIt() {
      assertThat(one(event("e1", "calls", "")).status()).isEqualTo(Status.ACCEPTED);
      UsageEvent e = stored(ACME).get(0);
      assertThat(e.quantity()).isEqualByComparingTo("1");
      assertThat(e.timestamp()).isEqualTo(NOW);
    }

    @Test
    void aQuantityIsExactNeverADouble() {
      one(event("e1", "cost", "\"data\":{\"quantity\":0.100001}"));
      one(event("e2", "cost", "\"data\":{\"quantity\":123456789012.000001}"));
      assertThat(stored(ACME))
          .extracting(UsageEvent::quantity)
          .map(BigDecimal::toPlainString)
          .containsExactlyInAnyOrder("0.100001", "123456789012.000001");
    }

    @Test
    void aMeterWithPathsReadsItsValueAndDimensionsFromThem() {
      EventResult r =
          one(
              event(
                  "e1",
                  "llm_tokens",
                  "\"data\":{\"tokens\":812,\"model\":\"small\","
                      + "\"usage kind\":{\"name\":\"prompt\"},\"other\":[1,2]}"));
      assertThat(r.status()).isEqualTo(Status.ACCEPTED);
      UsageEvent e = stored(ACME).get(0);
      assertThat(e.quantity()).isEqualByComparingTo("812");
      assertThat(e.dimensions()).isEqualTo(Map.of("model", "small", "kind", "prompt"));
    }

    @Test
    void aNumberAtADimensionPathIsItsPlainText() {
      one(event("e1", "llm_tokens", "\"data\":{\"tokens\":1,\"model\":1.50E+2}"));
      one(event("e2", "llm_tokens", "\"data\":{\"tokens\":1,\"model\":true}"));
      assertThat(stored(ACME))
          .extracting(e -> e.dimensions().get("model"))
          .containsExactlyInAnyOrder("150", "true");
      EventResult huge =
          one(event("e3", "llm_tokens", "\"data\":{\"tokens\":1,\"model\":1e999999}"));
      assertThat(huge.status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void aMissingValuePathIsARejectionNamingIt() {
      EventResult r = one(event("e1", "llm_tokens", "\"data\":{\"model\":\"small\"}"));
      assertThat(r.status()).isEqualTo(Status.REJECTED);
      assertThat(r.reason()).isEqualTo("invalid-quantity");
      assertThat(r.field()).isEqualTo("data.tokens");
    }

    @Test
    void aLongSourceOrIdGetsAHashedKeyThatIsStillIdempotent() {
      String source = "//" + "s".repeat(200);
      String body =
          "{\"specversion\":\"1.0\",\"id\":\"é1\",\"source\":\""
              + source
              + "\",\"type\":\"calls\"}";
      assertThat(one(body).status()).isEqualTo(Status.ACCEPTED);
      assertThat(one(body).status()).isEqualTo(Status.DUPLICATE);
      assertThat(stored(ACME).get(0).idempotencyKey()).startsWith("ce#").hasSize(46);
    }
  }

  @Nested
  class Idempotency {
    @Test
    void theSameEventAgainIsADuplicateAndAnotherPayloadAConflict() {
      String first = event("e1", "calls", "\"data\":{\"quantity\":2}");
      assertThat(one(first).status()).isEqualTo(Status.ACCEPTED);
      assertThat(one(first).status()).isEqualTo(Status.DUPLICATE);
      EventResult conflict = one(event("e1", "calls", "\"data\":{\"quantity\":3}"));
      assertThat(conflict.status()).isEqualTo(Status.CONFLICT);
      assertThat(conflict.reason()).isEqualTo("idempotency-conflict");
      assertThat(conflict.field()).isEqualTo("id");
      assertThat(stored(ACME)).hasSize(1);
    }

    @Test
    void theSameIdFromAnotherSourceIsAnotherEvent() {
      one(event("e1", "calls", ""));
      String other =
          "{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"//other\",\"type\":\"calls\"}";
      assertThat(one(other).status()).isEqualTo(Status.ACCEPTED);
      assertThat(stored(ACME)).hasSize(2);
    }

    @Test
    void sourceAndIdCannotBeShiftedIntoEachOther() {
      String a = "{\"specversion\":\"1.0\",\"id\":\"b:c\",\"source\":\"a\",\"type\":\"calls\"}";
      String b = "{\"specversion\":\"1.0\",\"id\":\"c\",\"source\":\"a:b\",\"type\":\"calls\"}";
      assertThat(one(a).status()).isEqualTo(Status.ACCEPTED);
      assertThat(one(b).status()).isEqualTo(Status.ACCEPTED);
    }
  }

  @Nested
  class Batches {
    @Test
    void aBatchAnswersPerEventAndABadEventNeverStopsTheGoodOnes() {
      String body =
          "["
              + event("a", "calls", "")
              + ","
              + event("b", "nope", "")
              + ","
              + "{\"specversion\":\"1.0\",\"source\":\"//svc\",\"type\":\"calls\"}"
              + ","
              + event("c", "calls", "\"time\":\"2026-03-02T08:00:00Z\"")
              + ","
              + event("d", "calls", "\"subject\":\"globex\"")
              + ","
              + event("a", "calls", "")
              + ","
              + event("e", "calls", "\"data\":{\"quantity\":-1}")
              + ","
              + event("f", "calls", "\"data\":{\"quantty\":1}")
              + "]";
      IngestResponse r = ingest(ACME, body, Shape.BATCH);
      assertThat(r.batch()).isTrue();
      assertThat(r.results())
          .extracting(
              EventResult::index,
              EventResult::id,
              EventResult::status,
              EventResult::reason,
              EventResult::field)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(0, "a", Status.ACCEPTED, null, null),
              org.assertj.core.groups.Tuple.tuple(1, "b", Status.REJECTED, "unknown-meter", "type"),
              org.assertj.core.groups.Tuple.tuple(
                  2, null, Status.REJECTED, "malformed-event", "id"),
              org.assertj.core.groups.Tuple.tuple(
                  3, "c", Status.REJECTED, "event-too-late", "time"),
              org.assertj.core.groups.Tuple.tuple(
                  4, "d", Status.REJECTED, UsageIngestor.SUBJECT_MISMATCH, "subject"),
              org.assertj.core.groups.Tuple.tuple(5, "a", Status.DUPLICATE, null, null),
              org.assertj.core.groups.Tuple.tuple(
                  6, "e", Status.REJECTED, "invalid-quantity", "data.quantity"),
              org.assertj.core.groups.Tuple.tuple(
                  7, "f", Status.REJECTED, "malformed-event", "data.quantty"));
      assertThat(r.count(Status.ACCEPTED)).isEqualTo(1);
      assertThat(r.count(Status.DUPLICATE)).isEqualTo(1);
      assertThat(r.count(Status.REJECTED)).isEqualTo(6);
      assertThat(stored(ACME)).hasSize(1);
      assertThat(
              registry
                  .counter(IngestMetrics.EVENTS, "status", "accepted", "reason", "none")
                  .count())
          .isEqualTo(1);
      assertThat(
              registry
                  .counter(IngestMetrics.EVENTS, "status", "rejected", "reason", "unknown-meter")
                  .count())
          .isEqualTo(1);
    }

    @Test
    void aBufferedMetersEventsAreAcceptedIntoTheBuffer() {
      IngestResponse r =
          ingest(
              ACME,
              "[" + event("a", "clicks", "") + "," + event("b", "clicks", "") + "]",
              Shape.EITHER);
      assertThat(r.count(Status.ACCEPTED)).isEqualTo(2);
      assertThat(stored(ACME)).hasSize(2);
    }

    @Test
    void moreThanAThousandEventsAreRefusedWholeAndNothingIsWritten() {
      List<String> events = new ArrayList<>();
      for (int i = 0; i <= UsageIngestor.MAX_EVENTS; i++) {
        events.add(event("e" + i, "calls", ""));
      }
      assertThatThrownBy(() -> ingest(ACME, "[" + String.join(",", events) + "]", Shape.BATCH))
          .isInstanceOf(IngestLimitException.class)
          .hasMessageContaining("1000");
      assertThat(
              ingest(ACME, "[" + String.join(",", events.subList(0, 1000)) + "]", Shape.BATCH)
                  .count(Status.ACCEPTED))
          .isEqualTo(1000);
    }

    @Test
    void aStoreOutageRejectsEachDurableEventAsRetryable() {
      store.failing(true);
      IngestResponse r = ingest(ACME, "[" + event("a", "calls", "") + "]", Shape.BATCH);
      EventResult e = r.results().get(0);
      assertThat(e.status()).isEqualTo(Status.REJECTED);
      assertThat(e.reason()).isEqualTo("store-unavailable");
      assertThat(e.field()).isNull();
      assertThat(e.retryable()).isTrue();
      store.failing(false);
      assertThat(
              ingest(ACME, "[" + event("a", "calls", "") + "]", Shape.BATCH)
                  .results()
                  .get(0)
                  .status())
          .isEqualTo(Status.ACCEPTED);
    }
  }

  @Nested
  class WholeRequest {
    @Test
    void malformedJsonIsInvalidInputOfTheBody() {
      for (String bad : List.of("", "{", "[1,", "{\"a\":1}{", "{\"id\":1,\"id\":2}", "nul")) {
        assertThatThrownBy(() -> ingest(ACME, bad, Shape.EITHER))
            .as(bad)
            .isInstanceOfSatisfying(
                InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("body"));
      }
      assertThat(stored(ACME)).isEmpty();
    }

    @Test
    void theShapeMustMatchTheMediaType() {
      assertThatThrownBy(() -> ingest(ACME, "[" + event("a", "calls", "") + "]", Shape.SINGLE))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> ingest(ACME, event("a", "calls", ""), Shape.BATCH))
          .isInstanceOf(InvalidInputException.class);
      assertThatThrownBy(() -> ingest(ACME, "42", Shape.EITHER))
          .isInstanceOf(InvalidInputException.class);
      assertThat(ingest(ACME, event("a", "calls", ""), Shape.EITHER).batch()).isFalse();
      assertThat(ingest(ACME, "[]", Shape.EITHER).results()).isEmpty();
    }

    @Test
    void aBodyAboveOneMebibyteIsRefused() {
      byte[] big = new byte[UsageIngestor.MAX_BYTES + 1];
      assertThatThrownBy(() -> ingestor.ingest(ACME, big, Shape.EITHER))
          .isInstanceOf(IngestLimitException.class);
    }
  }

  @Nested
  class Isolation {
    @Test
    void aSubjectOfAnotherTenantIsRefusedAndNothingIsWrittenAnywhere() {
      EventResult r = one(event("e1", "calls", "\"subject\":\"globex\""));
      assertThat(r.status()).isEqualTo(Status.REJECTED);
      assertThat(r.field()).isEqualTo("subject");
      assertThat(r.detail()).doesNotContain("globex");
      assertThat(stored(ACME)).isEmpty();
      assertThat(stored(GLOBEX)).isEmpty();
    }

    @Test
    void anotherTenantsSourceAndIdAreNotItsKeyAndRevealNothing() {
      String body = event("e1", "calls", "\"data\":{\"quantity\":5}");
      assertThat(ingest(GLOBEX, body, Shape.SINGLE).results().get(0).status())
          .isEqualTo(Status.ACCEPTED);
      // The same source and id, and even the key spelled out as source or id: acme's own events,
      // neither duplicates nor conflicts of globex's.
      assertThat(one(event("e1", "calls", "\"data\":{\"quantity\":7}")).status())
          .isEqualTo(Status.ACCEPTED);
      String crafted =
          "{\"specversion\":\"1.0\",\"id\":\"ce:5://svc:e1\",\"source\":\"globex\","
              + "\"type\":\"calls\"}";
      assertThat(one(crafted).status()).isEqualTo(Status.ACCEPTED);
      assertThat(stored(GLOBEX))
          .extracting(UsageEvent::quantity)
          .containsExactly(BigDecimal.valueOf(5));
      assertThat(stored(ACME)).hasSize(2).allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(ACME));
    }
  }
}
