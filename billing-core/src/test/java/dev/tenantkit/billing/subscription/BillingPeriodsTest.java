package dev.tenantkit.billing.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.tenancy.InvalidInputException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BillingPeriodsTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static LocalDate d(String iso) {
    return LocalDate.parse(iso);
  }

  private static List<String> periods(BillingPeriods p, int n) {
    List<String> out = new ArrayList<>();
    BillingPeriod period = p.first();
    for (int i = 0; i < n; i++) {
      out.add(period.start() + ".." + period.end());
      period = p.next(period);
    }
    return out;
  }

  @Test
  void calendarMonthsStartOnTheFirstAfterAStub() {
    BillingPeriods p =
        BillingPeriods.of(BillingAlignment.calendar(), BillingInterval.MONTH, UTC, d("2026-01-15"));
    BillingPeriod first = p.first();
    assertThat(first.isPartial()).isTrue();
    assertThat(first.days()).isEqualTo(17);
    assertThat(first.cycleDays()).isEqualTo(31);
    assertThat(first.fraction()).isEqualByComparingTo("0.548387096774");
    assertThat(first.cycleStart()).isEqualTo(d("2026-01-01"));
    assertThat(periods(p, 3))
        .containsExactly(
            "2026-01-15..2026-02-01", "2026-02-01..2026-03-01", "2026-03-01..2026-04-01");
    assertThat(p.next(first).isPartial()).isFalse();
    assertThat(p.next(first).fraction()).isEqualByComparingTo("1");
  }

  @Test
  void anAnniversaryOnThe31stFallsOnTheLastDayOfShorterMonths() {
    BillingPeriods p =
        BillingPeriods.of(
            BillingAlignment.anniversary(), BillingInterval.MONTH, UTC, d("2026-01-31"));
    assertThat(p.first().isPartial()).isFalse();
    assertThat(periods(p, 4))
        .containsExactly(
            "2026-01-31..2026-02-28",
            "2026-02-28..2026-03-31",
            "2026-03-31..2026-04-30",
            "2026-04-30..2026-05-31");
    // A leap year's February.
    BillingPeriods leap =
        BillingPeriods.of(
            BillingAlignment.anniversary(), BillingInterval.MONTH, UTC, d("2028-01-30"));
    assertThat(periods(leap, 2))
        .containsExactly("2028-01-30..2028-02-29", "2028-02-29..2028-03-30");
  }

  @Test
  void aBillCycleDayHasAStubThenFollowsTheDay() {
    BillingPeriods p =
        BillingPeriods.of(
            BillingAlignment.billCycleDay(15), BillingInterval.MONTH, UTC, d("2026-01-20"));
    BillingPeriod first = p.first();
    assertThat(first.start()).isEqualTo(d("2026-01-20"));
    assertThat(first.end()).isEqualTo(d("2026-02-15"));
    assertThat(first.days()).isEqualTo(26);
    assertThat(first.cycleDays()).isEqualTo(31);
    assertThat(periods(p, 3))
        .containsExactly(
            "2026-01-20..2026-02-15", "2026-02-15..2026-03-15", "2026-03-15..2026-04-15");
    BillingPeriods day31 =
        BillingPeriods.of(
            BillingAlignment.billCycleDay(31), BillingInterval.MONTH, UTC, d("2026-04-10"));
    assertThat(periods(day31, 4))
        .containsExactly(
            "2026-04-10..2026-04-30",
            "2026-04-30..2026-05-31",
            "2026-05-31..2026-06-30",
            "2026-06-30..2026-07-31");
    assertThat(day31.first().cycleStart()).isEqualTo(d("2026-03-31"));
    assertThat(day31.containing(d("2027-02-27")).start()).isEqualTo(d("2027-01-31"));
    assertThat(day31.containing(d("2027-02-28")).end()).isEqualTo(d("2027-03-31"));
  }

  @Test
  void yearlyPeriods() {
    BillingPeriods calendar =
        BillingPeriods.of(BillingAlignment.calendar(), BillingInterval.YEAR, UTC, d("2026-07-01"));
    assertThat(calendar.first().days()).isEqualTo(184);
    assertThat(calendar.first().cycleDays()).isEqualTo(365);
    assertThat(periods(calendar, 2))
        .containsExactly("2026-07-01..2027-01-01", "2027-01-01..2028-01-01");
    BillingPeriods leapDay =
        BillingPeriods.of(
            BillingAlignment.anniversary(), BillingInterval.YEAR, UTC, d("2028-02-29"));
    assertThat(periods(leapDay, 3))
        .containsExactly(
            "2028-02-29..2029-02-28", "2029-02-28..2030-02-28", "2030-02-28..2031-02-28");
    assertThat(leapDay.first().cycleDays()).isEqualTo(365);
    BillingPeriods bcd =
        BillingPeriods.of(
            BillingAlignment.billCycleDay(1), BillingInterval.YEAR, UTC, d("2026-03-10"));
    assertThat(periods(bcd, 2)).containsExactly("2026-03-10..2027-03-01", "2027-03-01..2028-03-01");
  }

  @Test
  void periodsAreLocalDatesInTheTenantsZone() {
    Instant lateJan31Utc = Instant.parse("2026-01-31T23:30:00Z");
    BillingPeriods tokyo =
        BillingPeriods.of(
            BillingAlignment.calendar(),
            BillingInterval.MONTH,
            ZoneId.of("Asia/Tokyo"),
            d("2026-01-01"));
    BillingPeriods newYork =
        BillingPeriods.of(
            BillingAlignment.calendar(),
            BillingInterval.MONTH,
            ZoneId.of("America/New_York"),
            d("2026-01-01"));
    assertThat(tokyo.containing(lateJan31Utc).start()).isEqualTo(d("2026-02-01"));
    assertThat(newYork.containing(lateJan31Utc).start()).isEqualTo(d("2026-01-01"));
    BillingPeriod feb = tokyo.containing(lateJan31Utc);
    assertThat(feb.startInstant()).isEqualTo(Instant.parse("2026-01-31T15:00:00Z"));
    assertThat(feb.contains(lateJan31Utc)).isTrue();
    assertThat(feb.contains(feb.endInstant())).isFalse();
  }

  @Test
  void aDaylightSavingChangeKeepsWholeDays() {
    // Sao Paulo skipped midnight on 2018-11-04: the day, and the period, began at 01:00.
    ZoneId saoPaulo = ZoneId.of("America/Sao_Paulo");
    BillingPeriods p =
        BillingPeriods.of(
            BillingAlignment.billCycleDay(4), BillingInterval.MONTH, saoPaulo, d("2018-10-04"));
    BillingPeriod nov = p.containing(d("2018-11-04"));
    assertThat(nov.startInstant()).isEqualTo(Instant.parse("2018-11-04T03:00:00Z"));
    assertThat(nov.days()).isEqualTo(30);
    BillingPeriod oct = p.first();
    assertThat(oct.endInstant()).isEqualTo(nov.startInstant());
    assertThat(p.containing(Instant.parse("2018-11-04T02:59:59Z"))).isEqualTo(oct);
    assertThat(p.containing(Instant.parse("2018-11-04T03:00:00Z"))).isEqualTo(nov);
    // Berlin's March has 31 days of which one is 23 hours long: still 31 days, ratio by days.
    BillingPeriods berlin =
        BillingPeriods.of(
            BillingAlignment.calendar(),
            BillingInterval.MONTH,
            ZoneId.of("Europe/Berlin"),
            d("2026-03-01"));
    assertThat(berlin.first().cycleDays()).isEqualTo(31);
    assertThat(berlin.first().endInstant()).isEqualTo(Instant.parse("2026-03-31T22:00:00Z"));
  }

  @Test
  void beforeTheStartThereIsNoPeriod() {
    BillingPeriods p =
        BillingPeriods.of(BillingAlignment.calendar(), BillingInterval.MONTH, UTC, d("2026-01-15"));
    assertThatThrownBy(() -> p.containing(d("2026-01-14")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("before the subscription starts");
    assertThatThrownBy(() -> BillingAlignment.billCycleDay(32))
        .isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> BillingAlignment.billCycleDay(0))
        .isInstanceOf(InvalidInputException.class);
  }
}
