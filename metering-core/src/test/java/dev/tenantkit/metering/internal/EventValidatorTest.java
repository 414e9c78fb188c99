package dev.tenantkit.metering.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.RejectionReason;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventValidatorTest {
  private static final TenantId T = TenantId.of("acme");
  private static final long NOW_MICROS = 1_795_428_000_123_456L;

  private static final MeterDefinition CALLS =
      MeterDefinition.builder("calls").dimensions("endpoint", "method", "status").build();
  private static final List<String> SIXTEEN = sixteenNames();
  private static final MeterDefinition WIDE =
      MeterDefinition.builder("wide").dimensions(SIXTEEN).build();

  private final EventValidator validator =
      new EventValidator(
          MeterCatalog.builder().add(CALLS).add(WIDE).build(),
          Duration.ofHours(1),
          Duration.ofMinutes(5));

  private static List<String> sixteenNames() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      names.add("d" + i);
    }
    return names;
  }

  /** A string equal to {@code s} that is not the same object. */
  private static String copyOf(String s) {
    String copy = new String(s.toCharArray());
    assertThat(copy).isEqualTo(s).isNotSameAs(s);
    return copy;
  }

  private Checked check(String meter, Map<String, String> dimensions) {
    return validator.check(
        new UsageEvent(T, meter, BigDecimal.ONE, null, null, dimensions, Map.of(), null, null),
        NOW_MICROS,
        null);
  }

  @Test
  void acceptsDeclaredDimensionsGivenAsTheCatalogsOwnStrings() {
    Checked c = check("calls", Map.of("endpoint", "/a", "method", "GET", "status", "200"));

    assertThat(c.refused()).isFalse();
    assertThat(c.meter()).isEqualTo(CALLS);
    assertThat(c.micros()).isEqualTo(NOW_MICROS);
  }

  @Test
  void acceptsDeclaredDimensionsGivenAsEqualStringsThatAreOtherObjects() {
    Checked c =
        check(
            copyOf("calls"),
            Map.of(copyOf("endpoint"), "/a", copyOf("method"), "GET", copyOf("status"), "200"));

    assertThat(c.refused()).isFalse();
    assertThat(c.meter()).isEqualTo(CALLS);
  }

  @Test
  void acceptsEachOfSixteenDimensionsWhicheverObjectNamesIt() {
    for (String name : SIXTEEN) {
      assertThat(check("wide", Map.of(name, "v")).refused()).as(name).isFalse();
      assertThat(check("wide", Map.of(copyOf(name), "v")).refused()).as(name).isFalse();
    }
  }

  @Test
  void refusesADimensionTheMeterDoesNotDeclare() {
    for (String undeclared : List.of("color", "endpoints", "Endpoint", "d16", "model", "")) {
      Checked c = check("calls", Map.of("endpoint", "/a", undeclared, "x"));

      assertThat(c.refused()).as(undeclared).isTrue();
      assertThat(c.rejection().reason()).isEqualTo(RejectionReason.UNDECLARED_DIMENSION);
      assertThat(c.rejection().detail())
          .isEqualTo("meter 'calls' declares no dimension '" + undeclared + "'");
    }
  }

  @Test
  void refusesADimensionAnotherMeterDeclares() {
    Checked c = check("calls", Map.of("d3", "x"));

    assertThat(c.refused()).isTrue();
    assertThat(c.rejection().reason()).isEqualTo(RejectionReason.UNDECLARED_DIMENSION);
  }

  @Test
  void refusesTextWithAnUnpairedSurrogate() {
    String lone = "a\ud800b";
    String reversed = "\udc00\ud800";
    List<UsageEvent> events =
        List.of(
            event(Map.of("endpoint", lone), Map.of(), null, null),
            event(Map.of("endpoint", "ends\ud83d"), Map.of(), null, null),
            event(Map.of(), Map.of("note", lone), null, null),
            event(Map.of(), Map.of(reversed, "v"), null, null),
            event(Map.of(), Map.of(), lone, null),
            event(Map.of(), Map.of(), null, lone));
    for (UsageEvent e : events) {
      Checked c = validator.check(e, NOW_MICROS, null);

      assertThat(c.refused()).as(e.toString()).isTrue();
      assertThat(c.rejection().reason()).isEqualTo(RejectionReason.MALFORMED);
      assertThat(c.rejection().detail()).contains("unpaired surrogate");
    }
  }

  @Test
  void acceptsCharactersOutsideTheBasicPlaneWhosePairsAreWhole() {
    String emoji = "rocket \ud83d\ude80";
    Checked c =
        validator.check(
            event(Map.of("endpoint", emoji), Map.of("k", emoji), emoji, emoji), NOW_MICROS, null);

    assertThat(c.refused()).isFalse();
  }

  private static UsageEvent event(
      Map<String, String> dimensions,
      Map<String, String> properties,
      String userId,
      String source) {
    return new UsageEvent(
        T, "calls", BigDecimal.ONE, null, null, dimensions, properties, userId, source);
  }
}
