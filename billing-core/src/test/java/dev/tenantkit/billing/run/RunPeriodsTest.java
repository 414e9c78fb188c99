package dev.tenantkit.billing.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.subscription.BillingAlignment;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.CancelTiming;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which period the run of a month bills, per alignment, interval and zone. */
class RunPeriodsTest {
  private static final YearMonth MARCH = YearMonth.of(2026, 3);
  private static final Instant AFTER = Instant.parse("2026-04-02T00:00:00Z");

  private static Subscription.Builder subscription(BillingInterval interval, String start) {
    PlanVersion v =
        PlanVersion.of(
            "p",
            1,
            PlanPrices.of(
                "USD", interval, PlanCharge.of(Charge.flat("fee", new FlatPrice(BigDecimal.TEN)))));
    return Subscription.builder(TenantId.of("t"), v, Instant.parse(start)).trialDays(0);
  }

  private static Optional<String> billed(Subscription s, Instant now) {
    return RunPeriods.toBill(s, MARCH, now).map(BillingPeriod::toString);
  }

  private static String range(Subscription s, Instant now) {
    BillingPeriod p = RunPeriods.toBill(s, MARCH, now).orElseThrow();
    return p.start() + ".." + p.end();
  }

  @Test
  void calendarMonthlyBillsTheMonth() {
    Subscription s = subscription(BillingInterval.MONTH, "2026-01-10T00:00:00Z").build();
    assertThat(range(s, AFTER)).isEqualTo("2026-03-01..2026-04-01");
    assertThat(RunPeriods.key(s, RunPeriods.toBill(s, MARCH, AFTER).orElseThrow().start()))
        .isEqualTo("sub:t:2026-03-01:period");
  }

  @Test
  void aBillCycleDayBillsThePeriodThatEndedInTheMonth() {
    Subscription s =
        subscription(BillingInterval.MONTH, "2026-01-20T00:00:00Z")
            .alignment(BillingAlignment.billCycleDay(15))
            .build();
    assertThat(range(s, AFTER)).isEqualTo("2026-02-15..2026-03-15");
  }

  @Test
  void anAnniversaryBillsThePeriodThatEndedInTheMonth() {
    Subscription s =
        subscription(BillingInterval.MONTH, "2026-02-20T00:00:00Z")
            .alignment(BillingAlignment.anniversary())
            .build();
    assertThat(range(s, AFTER)).isEqualTo("2026-02-20..2026-03-20");
    // Started in March on the 20th: its first period ends in April, the next run's.
    Subscription march =
        subscription(BillingInterval.MONTH, "2026-03-20T00:00:00Z")
            .alignment(BillingAlignment.anniversary())
            .build();
    assertThat(billed(march, AFTER)).isEmpty();
  }

  @Test
  void aYearlySubscriptionIsBilledByTheRunOfTheMonthItsYearEnds() {
    Subscription s =
        subscription(BillingInterval.YEAR, "2025-03-15T00:00:00Z")
            .alignment(BillingAlignment.anniversary())
            .build();
    assertThat(range(s, AFTER)).isEqualTo("2025-03-15..2026-03-15");
    // A year whose last day is February 28th is February's run's.
    Subscription february =
        subscription(BillingInterval.YEAR, "2025-03-01T00:00:00Z")
            .alignment(BillingAlignment.anniversary())
            .build();
    assertThat(billed(february, AFTER)).isEmpty();
    Subscription other =
        subscription(BillingInterval.YEAR, "2025-06-01T00:00:00Z")
            .alignment(BillingAlignment.anniversary())
            .build();
    assertThat(billed(other, AFTER)).isEmpty();
  }

  @Test
  void nothingBeforeThePeriodEndsInTheTenantsZoneNorAfterTheSubscriptionStartsLater() {
    Subscription honolulu =
        subscription(BillingInterval.MONTH, "2026-01-10T00:00:00Z")
            .zone(ZoneId.of("Pacific/Honolulu"))
            .build();
    // April 1st in Honolulu begins at 10:00 UTC.
    assertThat(billed(honolulu, Instant.parse("2026-04-01T09:59:59Z"))).isEmpty();
    assertThat(range(honolulu, Instant.parse("2026-04-01T10:00:00Z")))
        .isEqualTo("2026-03-01..2026-04-01");
    Subscription later = subscription(BillingInterval.MONTH, "2026-04-01T00:00:00Z").build();
    assertThat(billed(later, AFTER)).isEmpty();
  }

  @Test
  void aSubscriptionEndedBeforeThePeriodIsNotBilledButOneEndingInItIs() {
    Subscription s = subscription(BillingInterval.MONTH, "2026-01-10T00:00:00Z").build();
    Subscription endedInFebruary =
        s.cancel(CancelTiming.NOW, Instant.parse("2026-02-10T00:00:00Z"));
    assertThat(billed(endedInFebruary, AFTER)).isEmpty();
    Subscription endedInMarch = s.cancel(CancelTiming.NOW, Instant.parse("2026-03-10T00:00:00Z"));
    assertThat(range(endedInMarch, AFTER)).isEqualTo("2026-03-01..2026-04-01");
  }
}
