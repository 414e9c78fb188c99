package dev.tenantkit.billing.subscription;

import static dev.tenantkit.billing.subscription.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProrationTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final PlanVersion STARTER = plan("starter", "29");
  private static final PlanVersion PRO = plan("professional", "99");
  private static final PlanVersion ENTERPRISE = plan("enterprise", "299");

  private static Subscription onStarter(ZoneId zone) {
    return Subscription.builder(ACME, STARTER, Instant.parse("2025-12-01T00:00:00Z"))
        .zone(zone)
        .trialDays(0)
        .build();
  }

  private static Instant at(String day) {
    return Instant.parse(day + "T09:30:00Z");
  }

  private static PlanChange upgrade(String day) {
    return Proration.change(onStarter(ZoneOffset.UTC), STARTER, PRO, at(day), false);
  }

  private static Money usd(String amount) {
    return Money.of(amount, "USD");
  }

  /** The consistency to the cent: what was paid is the used part plus the credit. */
  private static void assertConsistent(PlanChange c, String paid, String used) {
    assertThat(c.credits()).hasSize(1);
    assertThat(c.charges()).hasSize(1);
    assertThat(c.creditTotal().plus(usd(used))).isEqualTo(usd(paid));
    assertThat(c.net()).isEqualTo(c.chargeTotal().minus(c.creditTotal()));
    assertThat(c.creditTotal().isRounded()).isTrue();
    assertThat(c.chargeTotal().isRounded()).isTrue();
  }

  @Nested
  class Upgrades {
    @Test
    void from29To99OnDay11OfA30DayMonth() {
      PlanChange c = upgrade("2026-04-11");
      assertThat(c.kind()).isEqualTo(PlanChange.Kind.UPGRADE);
      assertThat(c.effectiveAt()).isEqualTo(at("2026-04-11"));
      assertThat(c.immediate()).isTrue();
      assertThat(c.remainingDays()).isEqualTo(20);
      assertThat(c.period().cycleDays()).isEqualTo(30);
      assertThat(c.ratio()).isEqualByComparingTo("0.666666666667");
      ProrationLine credit = c.credits().get(0);
      assertThat(credit.kind()).isEqualTo(ProrationLine.Kind.CREDIT);
      assertThat(credit.planId()).isEqualTo("starter");
      assertThat(credit.chargeCode()).isEqualTo("subscription");
      assertThat(credit.from()).isEqualTo(LocalDate.parse("2026-04-11"));
      assertThat(credit.to()).isEqualTo(LocalDate.parse("2026-05-01"));
      assertThat(credit.days()).isEqualTo(20);
      assertThat(credit.precise()).isEqualTo(usd("19.333333333343"));
      assertThat(credit.amount()).isEqualTo(usd("19.33"));
      ProrationLine charge = c.charges().get(0);
      assertThat(charge.planId()).isEqualTo("professional");
      assertThat(charge.precise()).isEqualTo(usd("66.000000000033"));
      assertThat(charge.amount()).isEqualTo(usd("66.00"));
      assertThat(c.net()).isEqualTo(usd("46.67"));
      assertConsistent(c, "29.00", "9.67");
      assertThat(c.subscription().planId()).isEqualTo("professional");
      assertThat(c.subscription().planSince()).isEqualTo(at("2026-04-11"));
    }

    @Test
    void inA31DayMonth() {
      PlanChange c = upgrade("2026-01-11");
      assertThat(c.remainingDays()).isEqualTo(21);
      assertThat(c.ratio()).isEqualByComparingTo("0.677419354839");
      assertThat(c.creditTotal()).isEqualTo(usd("19.65"));
      assertThat(c.chargeTotal()).isEqualTo(usd("67.06"));
      assertThat(c.net()).isEqualTo(usd("47.41"));
      assertConsistent(c, "29.00", "9.35");
    }

    @Test
    void inFebruary() {
      PlanChange c = upgrade("2026-02-11");
      assertThat(c.remainingDays()).isEqualTo(18);
      assertThat(c.period().cycleDays()).isEqualTo(28);
      assertThat(c.creditTotal()).isEqualTo(usd("18.64"));
      assertThat(c.chargeTotal()).isEqualTo(usd("63.64"));
      assertThat(c.net()).isEqualTo(usd("45.00"));
      assertConsistent(c, "29.00", "10.36");
      PlanChange leap =
          Proration.change(onStarter(ZoneOffset.UTC), STARTER, PRO, at("2028-02-11"), false);
      assertThat(leap.period().cycleDays()).isEqualTo(29);
      assertThat(leap.remainingDays()).isEqualTo(19);
    }

    @Test
    void onTheFirstDayTheWholePeriodIsCreditedAndCharged() {
      PlanChange c = upgrade("2026-04-01");
      assertThat(c.ratio()).isEqualByComparingTo("1");
      assertThat(c.creditTotal()).isEqualTo(usd("29.00"));
      assertThat(c.chargeTotal()).isEqualTo(usd("99.00"));
      assertThat(c.net()).isEqualTo(usd("70.00"));
    }

    @Test
    void onTheLastDayTheChangeDayIsTheNewPlans() {
      PlanChange c = upgrade("2026-04-30");
      assertThat(c.remainingDays()).isEqualTo(1);
      assertThat(c.ratio()).isEqualByComparingTo("0.033333333333");
      assertThat(c.creditTotal()).isEqualTo(usd("0.97"));
      assertThat(c.chargeTotal()).isEqualTo(usd("3.30"));
      assertThat(c.net()).isEqualTo(usd("2.33"));
      assertConsistent(c, "29.00", "28.03");
    }

    @Test
    void aYearlyPlan() {
      PlanVersion small = plan("starter", "290", BillingInterval.YEAR, "USD");
      PlanVersion big = plan("professional", "990", BillingInterval.YEAR, "USD");
      Subscription s =
          Subscription.builder(ACME, small, Instant.parse("2026-01-01T00:00:00Z"))
              .trialDays(0)
              .build();
      PlanChange c = Proration.change(s, small, big, at("2026-07-01"), false);
      assertThat(c.period().cycleDays()).isEqualTo(365);
      assertThat(c.remainingDays()).isEqualTo(184);
      assertThat(c.ratio()).isEqualByComparingTo("0.504109589041");
      assertThat(c.creditTotal()).isEqualTo(usd("146.19"));
      assertThat(c.chargeTotal()).isEqualTo(usd("499.07"));
      assertThat(c.net()).isEqualTo(usd("352.88"));
      assertConsistent(c, "290.00", "143.81");
    }

    @Test
    void theChangeDayIsTheTenantsLocalDay() {
      // 23:30 UTC on April 10 is already April 11 in Tokyo.
      PlanChange c =
          Proration.change(
              onStarter(ZoneId.of("Asia/Tokyo")),
              STARTER,
              PRO,
              Instant.parse("2026-04-10T23:30:00Z"),
              false);
      assertThat(c.remainingDays()).isEqualTo(20);
      assertThat(c.net()).isEqualTo(usd("46.67"));
    }

    @Test
    void creditAndUsedPartAddUpToThePaidFeeOnEveryDay() {
      List<String[]> fees =
          List.of(
              new String[] {"29", "99"},
              new String[] {"0.01", "0.03"},
              new String[] {"33.335", "99.995"},
              new String[] {"1000000", "1000000.01"});
      for (String[] f : fees) {
        PlanVersion from = plan("a", f[0]);
        PlanVersion to = plan("b", f[1]);
        Subscription s =
            Subscription.builder(ACME, from, Instant.parse("2025-12-01T00:00:00Z"))
                .trialDays(0)
                .build();
        for (YearMonth m :
            List.of(
                YearMonth.of(2026, 1),
                YearMonth.of(2026, 2),
                YearMonth.of(2026, 4),
                YearMonth.of(2028, 2))) {
          for (int day = 1; day <= m.lengthOfMonth(); day++) {
            LocalDate date = m.atDay(day);
            PlanChange c = Proration.change(s, from, to, at(date.toString()), false);
            long len = m.lengthOfMonth();
            long remaining = len - day + 1;
            BigDecimal usedRatio =
                BigDecimal.valueOf(day - 1)
                    .divide(BigDecimal.valueOf(len), 12, RoundingMode.HALF_UP);
            Money paid = usd(f[0]).rounded();
            Money used = usd(f[0]).times(usedRatio).rounded();
            BigDecimal ratio =
                BigDecimal.valueOf(remaining)
                    .divide(BigDecimal.valueOf(len), 12, RoundingMode.HALF_UP);
            assertThat(c.remainingDays()).as("%s", date).isEqualTo(remaining);
            assertThat(c.ratio()).as("%s", date).isEqualByComparingTo(ratio);
            assertThat(c.creditTotal().plus(used)).as("%s %s", f[0], date).isEqualTo(paid);
            assertThat(c.chargeTotal())
                .as("%s %s", f[1], date)
                .isEqualTo(usd(f[1]).times(ratio).rounded());
            assertThat(c.net()).isEqualTo(c.chargeTotal().minus(c.creditTotal()));
          }
        }
      }
    }

    @Test
    void aSecondChangeCreditsWhatTheFirstCharged() {
      PlanChange first = upgrade("2026-04-11");
      PlanChange second =
          Proration.change(first.subscription(), PRO, ENTERPRISE, at("2026-04-21"), false);
      ProrationLine credit = second.credits().get(0);
      assertThat(credit.planId()).isEqualTo("professional");
      assertThat(credit.from()).isEqualTo(LocalDate.parse("2026-04-21"));
      assertThat(credit.days()).isEqualTo(10);
      // Paid for Apr 11..30 (66.00), used Apr 11..20 (99 x 10/30 = 33.00).
      assertThat(credit.amount().plus(usd("33.00"))).isEqualTo(first.chargeTotal());
      assertThat(second.chargeTotal()).isEqualTo(usd("99.67"));
    }

    @Test
    void duringTheTrialOnlyWhatWasPaidIsCreditedAndTheTrialEnds() {
      Subscription s =
          Subscription.builder(ACME, STARTER, Instant.parse("2026-04-01T08:00:00Z")).build();
      PlanChange c = Proration.change(s, STARTER, PRO, at("2026-04-11"), false);
      // Paid in advance: Apr 15..30 (16 days) after the trial; none of it used yet.
      ProrationLine credit = c.credits().get(0);
      assertThat(credit.from()).isEqualTo(LocalDate.parse("2026-04-15"));
      assertThat(credit.days()).isEqualTo(16);
      assertThat(credit.amount()).isEqualTo(usd("15.47"));
      // The new plan from the change day: the trial's remaining days are lost, as in Lago.
      assertThat(c.chargeTotal()).isEqualTo(usd("66.00"));
      assertThat(c.subscription().trialEnd()).isEqualTo(at("2026-04-11"));
      assertThat(c.subscription().status(at("2026-04-11"))).isEqualTo(SubscriptionStatus.ACTIVE);
    }
  }

  @Nested
  class Downgrades {
    @Test
    void aDowngradeWaitsForThePeriodEnd() {
      Subscription onPro = onStarter(ZoneOffset.UTC).changedTo(PRO, at("2026-03-01"));
      PlanChange c = Proration.change(onPro, PRO, STARTER, at("2026-04-11"), false);
      assertThat(c.kind()).isEqualTo(PlanChange.Kind.DOWNGRADE);
      assertThat(c.immediate()).isFalse();
      assertThat(c.effectiveAt()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
      assertThat(c.credits()).isEmpty();
      assertThat(c.charges()).isEmpty();
      assertThat(c.net()).isEqualTo(usd("0.00"));
      assertThat(c.subscription().planId()).isEqualTo("professional");
      assertThat(c.subscription().pending())
          .isEqualTo(new PendingChange("starter", 1, Instant.parse("2026-05-01T00:00:00Z")));
    }

    @Test
    void theOperatorCanDowngradeNow() {
      Subscription onPro = onStarter(ZoneOffset.UTC).changedTo(PRO, at("2026-03-01"));
      PlanChange c = Proration.change(onPro, PRO, STARTER, at("2026-04-11"), true);
      assertThat(c.kind()).isEqualTo(PlanChange.Kind.DOWNGRADE);
      assertThat(c.immediate()).isTrue();
      assertThat(c.creditTotal()).isEqualTo(usd("66.00"));
      assertThat(c.chargeTotal()).isEqualTo(usd("19.33"));
      assertThat(c.net()).isEqualTo(usd("-46.67"));
      assertThat(c.subscription().planId()).isEqualTo("starter");
    }

    @Test
    void aYearlyPlanCheaperPerMonthIsADowngrade() {
      PlanVersion monthly = plan("m", "20");
      PlanVersion same = plan("s", "20");
      Subscription s = Subscription.builder(ACME, monthly, at("2026-01-01")).trialDays(0).build();
      assertThat(Proration.change(s, monthly, same, at("2026-01-05"), false).kind())
          .isEqualTo(PlanChange.Kind.UPGRADE);
      assertThat(Proration.change(s, monthly, plan("c", "19.99"), at("2026-01-05"), false).kind())
          .isEqualTo(PlanChange.Kind.DOWNGRADE);
    }
  }

  @Nested
  class Cancellations {
    @Test
    void cancellingNowCreditsTheUnusedDaysTheCancelDayAmongThem() {
      Cancellation c =
          Proration.cancel(onStarter(ZoneOffset.UTC), STARTER, CancelTiming.NOW, at("2026-04-11"));
      assertThat(c.endsAt()).isEqualTo(at("2026-04-11"));
      ProrationLine credit = c.credits().get(0);
      assertThat(credit.from()).isEqualTo(LocalDate.parse("2026-04-11"));
      assertThat(credit.days()).isEqualTo(20);
      assertThat(c.creditTotal()).isEqualTo(usd("19.33"));
      // What the period still bills (10 days) and the credit add up to what was paid.
      Money billed =
          usd("29")
              .times(
                  c.subscription()
                      .billedFraction(c.subscription().periods().containing(at("2026-04-11"))))
              .rounded();
      assertThat(billed.plus(c.creditTotal())).isEqualTo(usd("29.00"));
      assertThat(c.subscription().status(at("2026-04-11"))).isEqualTo(SubscriptionStatus.CANCELED);
    }

    @Test
    void cancellingAtThePeriodEndCreditsNothing() {
      Cancellation c =
          Proration.cancel(
              onStarter(ZoneOffset.UTC), STARTER, CancelTiming.AT_PERIOD_END, at("2026-04-11"));
      assertThat(c.endsAt()).isEqualTo(Instant.parse("2026-05-01T00:00:00Z"));
      assertThat(c.credits()).isEmpty();
      assertThat(c.creditTotal()).isEqualTo(usd("0.00"));
    }
  }

  @Test
  void aChangeNeedsTheCurrentPlanAndALiveSubscription() {
    Subscription s = onStarter(ZoneOffset.UTC);
    assertThatThrownBy(() -> Proration.change(s, PRO, ENTERPRISE, at("2026-04-11"), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("the subscription is on starter v1, not professional v1");
    Subscription cancelled = s.cancel(CancelTiming.NOW, at("2026-04-01"));
    assertThatThrownBy(() -> Proration.change(cancelled, STARTER, PRO, at("2026-04-11"), false))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("CANCELED");
    assertThatThrownBy(
            () ->
                Proration.change(
                    s,
                    STARTER,
                    plan("p", "99", BillingInterval.MONTH, "EUR"),
                    at("2026-04-11"),
                    false))
        .isInstanceOf(InvalidInputException.class)
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("currency");
  }
}
