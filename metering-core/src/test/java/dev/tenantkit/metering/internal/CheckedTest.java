package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckedTest {
  private static final TenantId T = TenantId.of("acme");
  private static final MeterDefinition TOKENS =
      MeterDefinition.builder("tokens").dimensions("model").build();
  private static final Instant AT = Instant.parse("2026-11-01T10:00:00.123456Z");

  private final GeneratedKeys keys = GeneratedKeys.create();

  private static UsageEvent event(String quantity, String key) {
    return new UsageEvent(
        T,
        "tokens",
        new BigDecimal(quantity),
        null,
        key,
        Map.of("model", "m"),
        Map.of(),
        null,
        null);
  }

  @Test
  void theWrittenEventHasTheQuantityInCanonicalForm() {
    for (String form : new String[] {"100", "100.00", "1E+2"}) {
      Checked c = Checked.valid(event(form, "k"), TOKENS, EventClock.toMicros(AT));
      c.prepare(keys.reserve(1));

      assertThat(c.event().quantity()).as(form).isEqualTo(new BigDecimal("100"));
      assertThat(c.event().quantity().scale()).as(form).isZero();
      assertThat(c.payloadHash())
          .as(form)
          .isEqualTo(PayloadHash.of(event("100", "k"), new BigDecimal("100"), null));
    }
  }

  @Test
  void theWrittenEventKeepsTheStampAndGetsAKeyWhenItHadNone() {
    Checked c = Checked.valid(event("2.50", null), TOKENS, EventClock.toMicros(AT));
    c.prepare(keys.reserve(1));

    assertThat(c.event().quantity()).isEqualTo(new BigDecimal("2.5"));
    assertThat(c.event().timestamp()).isEqualTo(AT);
    assertThat(c.event().idempotencyKey()).startsWith("g").hasSize(42);
    assertThat(c.payloadHash()).isEqualTo(PayloadHash.NOT_COMPARED);
  }
}
