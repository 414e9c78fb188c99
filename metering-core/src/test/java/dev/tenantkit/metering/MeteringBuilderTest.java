package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class MeteringBuilderTest {
  private static Metering.Builder valid() {
    return Metering.builder()
        .store(InMemoryUsageStore.create())
        .catalog(MeterCatalog.builder().add(MeterDefinition.builder("tokens").build()).build());
  }

  private static void refused(String field, UnaryOperator<Metering.Builder> change) {
    assertThatThrownBy(() -> change.apply(valid()).build())
        .isInstanceOfSatisfying(
            InvalidInputException.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.field()).isEqualTo(field));
  }

  @Test
  void defaultsBuild() {
    assertThatCode(() -> valid().build().close()).doesNotThrowAnyException();
    assertThatCode(() -> Metering.builder().store(InMemoryUsageStore.create()).build().close())
        .doesNotThrowAnyException();
  }

  @Test
  void settingsAreValidated() {
    refused("store", b -> Metering.builder());
    refused("maxLateness", b -> b.maxLateness(Duration.ZERO));
    refused("futureSkew", b -> b.futureSkew(Duration.ofSeconds(-1)));
    refused("bufferCapacity", b -> b.buffer(0, Duration.ofSeconds(1), Backpressure.BLOCK));
    refused(
        "bufferCapacity",
        b -> b.buffer(Metering.MAX_BUFFER_CAPACITY + 1, Duration.ofSeconds(1), Backpressure.BLOCK));
    refused("flushInterval", b -> b.buffer(10, Duration.ZERO, Backpressure.BLOCK));
    refused("rawRetention", b -> b.rawRetention(Duration.ofMinutes(59)));
    refused(
        "rollupRetention",
        b -> b.rawRetention(Duration.ofDays(60)).rollupRetention(Duration.ofDays(59)));
    refused("idempotencyRetention", b -> b.idempotencyRetention(Duration.ofDays(34)));
    refused(
        "idempotencyRetention",
        b -> b.maxLateness(Duration.ofDays(35)).idempotencyRetention(Duration.ofDays(35)));
  }
}
