package dev.tenantkit.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.testkit.TestMeters;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValidationTest {
  private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
  private static final TenantId T = TenantId.of("acme");

  private final FakeClock clock = FakeClock.at(NOW);
  private final InMemoryUsageStore store = InMemoryUsageStore.create();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Metering metering =
      Metering.builder()
          .store(store)
          .catalog(TestMeters.catalog())
          .clock(clock)
          .meterRegistry(registry)
          .build();

  @AfterEach
  void close() {
    metering.close();
  }

  private RejectionReason reasonOf(String meter, UnaryOperator<UsageEvent.Builder> shape) {
    UsageEvent e = shape.apply(UsageEvent.builder(T, meter).timestamp(NOW)).build();
    RecordOutcome outcome = metering.usageMeter().recordAll(List.of(e)).get(0);
    if (outcome.status() != RecordOutcome.Status.REJECTED) {
      return null;
    }
    assertThatThrownBy(() -> metering.usageMeter().record(e))
        .isInstanceOfSatisfying(
            UsageRejectedException.class,
            x -> {
              assertThat(x.reason()).isEqualTo(outcome.reason());
              assertThat(x.code()).isEqualTo(outcome.reason().code());
            });
    return outcome.reason();
  }

  @Test
  void unknownMeter() {
    assertThat(reasonOf("nope", b -> b)).isEqualTo(RejectionReason.UNKNOWN_METER);
  }

  @Test
  void quantityRules() {
    assertThat(reasonOf("tokens", b -> b.quantity(-1))).isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThat(reasonOf("peak", b -> b.quantity(-1))).isNull();
    assertThat(reasonOf("tokens", b -> b.quantity(new BigDecimal("1.5"))))
        .isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThat(reasonOf("tokens", b -> b.quantity(new BigDecimal("2.000")))).isNull();
    assertThat(reasonOf("tokens", b -> b.quantity(new BigDecimal("1E+18")))).isNull();
    assertThat(reasonOf("tokens", b -> b.quantity(new BigDecimal("1000000000000000001"))))
        .isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThat(reasonOf("peak", b -> b.quantity(new BigDecimal("-1000000000000000000.1"))))
        .isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThat(reasonOf("peak", b -> b.quantity(new BigDecimal("0.0000001"))))
        .isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThat(reasonOf("peak", b -> b.quantity(new BigDecimal("0.1234560")))).isNull();
  }

  @Test
  void aQuantityWithAHugeExponentIsRefusedFromItsExponentWithoutBeingExpanded() {
    // Normalising 1E+100000000 first (its scale set to 0) took minutes of CPU before the bound was
    // checked; the precision and exponent are checked before anything rescales the value.
    assertThat(detailOf("tokens", new BigDecimal("1E+100000000")))
        .isEqualTo("quantity is larger than 10^18 in absolute value");
    assertThat(detailOf("peak", new BigDecimal("-9.99E+99999999")))
        .isEqualTo("quantity is larger than 10^18 in absolute value");
    assertThat(detailOf("peak", new BigDecimal("1E-100000000")))
        .isEqualTo("quantity has more than 6 decimal places");
    assertThat(detailOf("peak", new BigDecimal("1." + "0".repeat(100_000))))
        .isEqualTo("quantity has more than 40 significant digits");
    assertThat(reasonOf("tokens", b -> b.quantity(new BigDecimal("0E+100000000")))).isNull();
    assertThat(reasonOf("peak", b -> b.quantity(new BigDecimal("1." + "0".repeat(38))))).isNull();
    // Proof of the order, not only of the answer: these fail the test if anything rescales them.
    assertThat(detailOf("tokens", new Unscalable("1E+100000000")))
        .isEqualTo("quantity is larger than 10^18 in absolute value");
    assertThat(detailOf("peak", new Unscalable("-9.99E+99999999")))
        .isEqualTo("quantity is larger than 10^18 in absolute value");
  }

  /** A quantity that fails the test if anything rescales it. */
  private static final class Unscalable extends BigDecimal {
    private static final long serialVersionUID = 1L;

    Unscalable(String value) {
      super(value);
    }

    @Override
    public BigDecimal stripTrailingZeros() {
      throw new AssertionError("normalised before its bounds were checked");
    }

    @Override
    public BigDecimal setScale(int newScale) {
      throw new AssertionError("rescaled before its bounds were checked");
    }

    @Override
    public BigDecimal setScale(int newScale, RoundingMode roundingMode) {
      throw new AssertionError("rescaled before its bounds were checked");
    }
  }

  private String detailOf(String meter, BigDecimal quantity) {
    UsageEvent e = UsageEvent.builder(T, meter).quantity(quantity).timestamp(NOW).build();
    RecordOutcome outcome = metering.usageMeter().recordAll(List.of(e)).get(0);
    assertThat(outcome.reason()).isEqualTo(RejectionReason.INVALID_QUANTITY);
    assertThatThrownBy(() -> metering.usageMeter().record(e))
        .isInstanceOf(UsageRejectedException.class)
        .hasMessageContaining(outcome.detail());
    return outcome.detail();
  }

  @Test
  void dimensionRules() {
    assertThat(reasonOf("tokens", b -> b.dimension("color", "red")))
        .isEqualTo(RejectionReason.UNDECLARED_DIMENSION);
    assertThat(reasonOf("tokens", b -> b.dimension("model", "m".repeat(257))))
        .isEqualTo(RejectionReason.OVERSIZED);
    assertThat(reasonOf("tokens", b -> b.dimension("model", "m".repeat(256)))).isNull();
  }

  @Test
  void propertyLimits() {
    assertThat(
            reasonOf(
                "tokens",
                b -> {
                  for (int i = 0; i < 33; i++) {
                    b.property("p" + i, "v");
                  }
                  return b;
                }))
        .isEqualTo(RejectionReason.OVERSIZED);
    assertThat(reasonOf("tokens", b -> b.property("k", "v".repeat(8 * 1024 - 1)))).isNull();
    assertThat(reasonOf("tokens", b -> b.property("k", "é".repeat(4 * 1024))))
        .isEqualTo(RejectionReason.OVERSIZED);
  }

  @Test
  void idempotencyKeyRules() {
    assertThat(reasonOf("tokens", b -> b.idempotencyKey(""))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("tokens", b -> b.idempotencyKey("k".repeat(129))))
        .isEqualTo(RejectionReason.OVERSIZED);
    assertThat(reasonOf("tokens", b -> b.idempotencyKey("clé")))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("tokens", b -> b.idempotencyKey("a\nb")))
        .isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("tokens", b -> b.idempotencyKey("k".repeat(128)))).isNull();
    assertThat(reasonOf("tokens", b -> b.idempotencyKey(" ~!@#$%^&*()_+{}|:<>?"))).isNull();
  }

  @Test
  void userAndSourceRules() {
    assertThat(reasonOf("tokens", b -> b.userId("u".repeat(257))))
        .isEqualTo(RejectionReason.OVERSIZED);
    assertThat(reasonOf("tokens", b -> b.source("s".repeat(257))))
        .isEqualTo(RejectionReason.OVERSIZED);
    assertThat(reasonOf("tokens", b -> b.userId(""))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("tokens", b -> b.source("a\u0000b"))).isEqualTo(RejectionReason.MALFORMED);
    assertThat(reasonOf("tokens", b -> b.userId("u".repeat(256)).source("s".repeat(256)))).isNull();
  }

  @Test
  void timestampWindow() {
    assertThat(reasonOf("tokens", b -> b.timestamp(NOW.minus(Duration.ofHours(1))))).isNull();
    assertThat(
            reasonOf("tokens", b -> b.timestamp(NOW.minus(Duration.ofHours(1)).minusNanos(1000))))
        .isEqualTo(RejectionReason.TOO_LATE);
    assertThat(reasonOf("tokens", b -> b.timestamp(NOW.plus(Duration.ofMinutes(5))))).isNull();
    assertThat(
            reasonOf("tokens", b -> b.timestamp(NOW.plus(Duration.ofMinutes(5)).plusNanos(1000))))
        .isEqualTo(RejectionReason.IN_FUTURE);
  }

  @Test
  void refusedEventsAreNotStoredAndAreCountedByReason() {
    reasonOf("nope", b -> b);
    reasonOf("tokens", b -> b.quantity(-3));
    assertThat(store.tenants()).isEmpty();
    assertThat(
            registry
                .get("tenantkit.usage.events.rejected")
                .tag("reason", "unknown-meter")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(
            registry
                .get("tenantkit.usage.events.rejected")
                .tag("reason", "invalid-quantity")
                .counter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void recordingAfterCloseIsRefused() {
    metering.close();
    assertThatThrownBy(() -> metering.usageMeter().record(UsageEvent.builder(T, "tokens").build()))
        .isInstanceOf(IllegalStateException.class);
  }
}
