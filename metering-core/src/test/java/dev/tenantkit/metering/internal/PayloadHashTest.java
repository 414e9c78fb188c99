package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the version 1 payload encoding: the expected hashes were computed by the first
 * implementation, so a stored hash still matches a retry after any rewrite of the code.
 */
class PayloadHashTest {
  private static final TenantId T = TenantId.of("acme");
  private static final Instant AT = Instant.parse("2026-11-01T10:00:00.123456Z");

  private static UsageEvent event(
      String meter,
      String quantity,
      Map<String, String> dimensions,
      Map<String, String> properties,
      String userId,
      String source) {
    return new UsageEvent(
        T, meter, new BigDecimal(quantity), null, "k", dimensions, properties, userId, source);
  }

  private static String hash(UsageEvent e, Instant explicit) {
    return PayloadHash.of(e, Quantities.normalize(e.quantity()), explicit);
  }

  @Test
  void theEncodingOfVersionOneNeverChanges() {
    UsageEvent plain = event("api_calls", "1", Map.of(), Map.of(), null, null);
    UsageEvent full =
        event(
            "tokens",
            "1234.5",
            Map.of("model", "large", "region", "eu-west-1", "a", "\u00e9t\u00e9"),
            Map.of("request", "r-1", "z", "", "b", "x\ty"),
            "user-7",
            "billing-job");
    UsageEvent small =
        event("credits", "-0.000001", Map.of("m", "v"), Map.of("only", "one"), "", "s");

    assertThat(hash(plain, null))
        .isEqualTo("6ad03581ba7094f944923433717213ae01e2c17af9c8fe5f13e93fa1d4d86e36");
    assertThat(hash(full, AT))
        .isEqualTo("110f605d9f1b6b9038fcb803f3721a70a5497f0b387f1f1c22d3b813e1e6eb14");
    assertThat(hash(full, null))
        .isEqualTo("7572dbb8f2c969df897739007dee0a810ceb5b6556309c6b91a044fc3418bf0a");
    assertThat(hash(small, null))
        .isEqualTo("63754f66608f637f9161d4d5111ce55887531cff14c219ad8c1ded1abd5d982c");
  }

  @Test
  void equalPayloadsHashEquallyWhateverTheQuantitysForm() {
    UsageEvent a = event("tokens", "100", Map.of("model", "small"), Map.of(), null, null);
    UsageEvent b = event("tokens", "1E+2", Map.of("model", "small"), Map.of(), null, null);
    UsageEvent c = event("tokens", "100.000", Map.of("model", "small"), Map.of(), null, null);
    assertThat(hash(b, null)).isEqualTo(hash(a, null)).isEqualTo(hash(c, null));
    assertThat(hash(a, AT)).isNotEqualTo(hash(a, null));
  }

  @Test
  void theMarkerOfGeneratedKeysIsNeverAHash() {
    assertThat(PayloadHash.NOT_COMPARED).doesNotMatch("[0-9a-f]{64}");
    assertThat(hash(event("tokens", "1", Map.of(), Map.of(), null, null), null))
        .matches("[0-9a-f]{64}");
  }
}
