package dev.tenantkit.billing.subscription;

import static dev.tenantkit.billing.subscription.Plans.plan;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final PlanVersion STARTER = plan("starter", "29");
  private static final Instant START = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void aSubscriptionHasAFourteenDayTrialByDefault() {
    Subscription s = Subscription.builder(ACME, STARTER, START).build();
    assertThat(s.planId()).isEqualTo("starter");
    assertThat(s.planVersion()).isEqualTo(1);
    assertThat(s.currency().getCurrencyCode()).isEqualTo("USD");
    assertThat(s.alignment()).isEqualTo(BillingAlignment.calendar());
    assertThat(s.trialEnd()).isEqualTo(Instant.parse("2026-01-19T00:00:00Z"));
    assertThat(s.status(Instant.parse("2026-01-05T09:59:59Z")))
        .isEqualTo(SubscriptionStatus.FUTURE);
    assertThat(s.status(START)).isEqualTo(SubscriptionStatus.TRIAL);
    assertThat(s.status(Instant.parse("2026-01-18T23:59:59Z"))).isEqualTo(SubscriptionStatus.TRIAL);
    assertThat(s.status(Instant.parse("2026-01-19T00:00:00Z")))
        .isEqualTo(SubscriptionStatus.ACTIVE);
    Subscription none = Subscription.builder(ACME, STARTER, START).trialDays(0).build();
    assertThat(none.status(START)).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThatThrownBy(() -> Subscription.builder(ACME, STARTER, START).trialDays(-1))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void asOfAppliesAPendingChangeAtItsOwnInstantOnlyOnceItsTimeHasCome() {
    PlanVersion pro = plan("pro", "99");
    Instant may = Instant.parse("2026-05-01T00:00:00Z");
    Subscription s = Subscription.builder(ACME, pro, START).build().schedule(STARTER, may);
    assertThat(s.asOf(may.minusSeconds(1))).isSameAs(s);
    Subscription after = s.asOf(Instant.parse("2026-05-20T08:00:00Z"));
    assertThat(after)
        .isEqualTo(s.asOf(may))
        .isEqualTo(Subscription.builder(ACME, pro, START).build().changedTo(STARTER, may));
    assertThat(after.planId()).isEqualTo("starter");
    assertThat(after.planSince()).isEqualTo(may);
    assertThat(after.pending()).isNull();
    assertThat(after.history()).containsExactly(new PriorPlan(START, "pro", 1));
    assertThat(after.asOf(Instant.parse("2027-01-01T00:00:00Z"))).isSameAs(after);
  }

  @Test
  void theTrialEndsAtMidnightInTheTenantsZone() {
    Subscription s =
        Subscription.builder(ACME, STARTER, START)
            .zone(ZoneId.of("America/Los_Angeles"))
            .trialDays(3)
            .build();
    assertThat(s.trialEndDay()).isEqualTo(LocalDate.parse("2026-01-08"));
    assertThat(s.trialEnd()).isEqualTo(Instant.parse("2026-01-08T08:00:00Z"));
  }

  @Test
  void theCurrencyMustBeThePlansVersions() {
    assertThatThrownBy(
            () ->
                Subscription.builder(ACME, STARTER, START).currency(Money.currency("EUR")).build())
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("plan starter v1 is in USD, not EUR")
        .extracting(e -> ((InvalidInputException) e).field())
        .isEqualTo("currency");
    Subscription s = Subscription.builder(ACME, STARTER, START).build();
    assertThatThrownBy(() -> s.changedTo(plan("pro", "99", BillingInterval.MONTH, "EUR"), START))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("is in EUR but the subscription is in USD");
    assertThatThrownBy(() -> s.changedTo(plan("pro", "990", BillingInterval.YEAR, "USD"), START))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("changing the interval is not supported");
  }

  @Test
  void pauseAndResume() {
    Subscription s = Subscription.builder(ACME, STARTER, START).trialDays(0).build();
    Instant feb = Instant.parse("2026-02-10T00:00:00Z");
    Subscription paused = s.pause(feb);
    assertThat(paused.status(feb)).isEqualTo(SubscriptionStatus.PAUSED);
    assertThat(paused.status(feb.minusSeconds(1))).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThatThrownBy(() -> paused.pause(feb.plusSeconds(5)))
        .isInstanceOf(InvalidInputException.class);
    Subscription resumed = paused.resume(feb.plusSeconds(60));
    assertThat(resumed.status(feb.plusSeconds(60))).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(resumed.pausedAt()).isNull();
    assertThatThrownBy(() -> s.resume(feb)).isInstanceOf(InvalidInputException.class);
  }

  @Test
  void cancelAtThePeriodEndOrNow() {
    Subscription s =
        Subscription.builder(ACME, STARTER, START)
            .alignment(BillingAlignment.billCycleDay(20))
            .zone(ZoneId.of("Europe/Berlin"))
            .build();
    Instant at = Instant.parse("2026-03-03T12:00:00Z");
    Subscription atEnd = s.cancel(CancelTiming.AT_PERIOD_END, at);
    assertThat(atEnd.endsAt()).isEqualTo(Instant.parse("2026-03-19T23:00:00Z"));
    assertThat(atEnd.status(at)).isEqualTo(SubscriptionStatus.ACTIVE);
    assertThat(atEnd.status(atEnd.endsAt())).isEqualTo(SubscriptionStatus.CANCELED);
    Subscription now = s.cancel(CancelTiming.NOW, at);
    assertThat(now.endsAt()).isEqualTo(at);
    assertThat(now.status(at)).isEqualTo(SubscriptionStatus.CANCELED);
    assertThatThrownBy(() -> now.cancel(CancelTiming.NOW, at.plusSeconds(1)))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("already cancelled");
    assertThatThrownBy(() -> now.pause(at.plusSeconds(1)))
        .isInstanceOf(InvalidInputException.class);
  }

  @Test
  void aTrialIsNotBilledAsInLagosExample() {
    // Lago: a 50 USD monthly plan in advance with a 5-day trial, started April 1st, bills
    // "$50 x 25 days due / 30 days in April = $41.67".
    PlanVersion fifty = plan("basic", "50");
    Subscription s =
        Subscription.builder(ACME, fifty, Instant.parse("2026-04-01T00:00:00Z"))
            .trialDays(5)
            .build();
    BillingPeriod april = s.periods().first();
    assertThat(s.billedDays(april)).isEqualTo(25);
    assertThat(s.billedFraction(april)).isEqualByComparingTo("0.833333333333");
    assertThat(Money.of("50", "USD").times(s.billedFraction(april)).rounded())
        .isEqualTo(Money.of("41.67", "USD"));
    assertThat(s.billedDays(s.periods().next(april))).isEqualTo(31);
  }

  @Test
  void theBilledDaysStopBeforeTheCancelDay() {
    Subscription s =
        Subscription.builder(ACME, STARTER, Instant.parse("2026-01-01T00:00:00Z"))
            .trialDays(0)
            .build();
    Instant apr11 = Instant.parse("2026-04-11T09:30:00Z");
    BillingPeriod april = s.periods().containing(apr11);
    assertThat(s.cancel(CancelTiming.NOW, apr11).billedDays(april)).isEqualTo(10);
    assertThat(s.cancel(CancelTiming.AT_PERIOD_END, apr11).billedDays(april)).isEqualTo(30);
    Subscription changed = s.changedTo(plan("pro", "99"), apr11);
    assertThat(changed.billedDays(april)).isEqualTo(20);
    assertThat(changed.billedDays(s.periods().containing(Instant.parse("2026-03-05T00:00:00Z"))))
        .isZero();
  }
}
