package dev.tenantkit.metering.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPeriodsTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-03-15T10:20:30.123456789Z"));

  @Test
  void eachNamedPeriodEndsJustAfterNowAndHasItsLength() {
    Instant end = Instant.parse("2026-03-15T10:20:30.123457Z");
    assertThat(ReportPeriods.parse("7d", clock))
        .isEqualTo(new TimeRange(end.minus(Duration.ofDays(7)), end));
    assertThat(ReportPeriods.parse("30d", clock))
        .isEqualTo(new TimeRange(end.minus(Duration.ofDays(30)), end));
    assertThat(ReportPeriods.parse("90d", clock))
        .isEqualTo(new TimeRange(end.minus(Duration.ofDays(90)), end));
    assertThat(ReportPeriods.parse("1y", clock))
        .isEqualTo(new TimeRange(end.minus(Duration.ofDays(365)), end));
  }

  @Test
  void anEventStampedNowIsInsideThePeriod() {
    FakeClock whole = FakeClock.at(Instant.parse("2026-03-15T10:00:00Z"));
    TimeRange range = ReportPeriods.parse("7d", whole);
    assertThat(range.contains(whole.instant())).isTrue();
    assertThat(range.to()).isEqualTo(Instant.parse("2026-03-15T10:00:00.000001Z"));
  }

  @Test
  void anyOtherNameIsInvalidInputForThePeriodField() {
    for (String bad :
        Arrays.asList(
            null, "", "7", "7D", "1Y", " 7d", "30d ", "2w", "365d", "-7d", "7d;drop", "P7D",
            "1m")) {
      assertThatThrownBy(() -> ReportPeriods.parse(bad, clock))
          .as(String.valueOf(bad))
          .isInstanceOfSatisfying(
              InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("period"))
          .hasMessageContaining("7d, 30d, 90d, 1y");
    }
  }

  @Test
  void namesAreListedShortestFirst() {
    assertThat(ReportPeriods.NAMES).isEqualTo(List.of("7d", "30d", "90d", "1y"));
  }

  @Test
  void aRangeNeedsAPositiveLength() {
    Instant now = clock.instant();
    assertThatThrownBy(() -> ReportPeriods.ending(now, Duration.ZERO))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("period"));
    assertThatThrownBy(() -> ReportPeriods.ending(now, Duration.ofDays(-1)))
        .isInstanceOf(InvalidInputException.class);
  }
}
