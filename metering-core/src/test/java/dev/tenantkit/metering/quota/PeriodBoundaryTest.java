package dev.tenantkit.metering.quota;

import static dev.tenantkit.metering.quota.PlanCatalog.API_CALLS;
import static dev.tenantkit.metering.quota.PlanCatalog.TOKENS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.metering.quota.memory.InMemoryQuotaStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Allowances reset exactly at midnight and the first of the month in the catalog's zone. */
class PeriodBoundaryTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final Duration MS = Duration.ofMillis(1);

  private FakeClock clock;

  private QuotaEnforcer enforcer(String zone, Instant start) {
    clock = FakeClock.at(start);
    PlanCatalog catalog =
        PlanCatalog.builder()
            .zone(ZoneId.of(zone))
            .plan(
                Plan.builder("free")
                    .limit(API_CALLS, LimitSpec.allowance(10, ResetPeriod.MONTH))
                    .limit(TOKENS, LimitSpec.allowance(10, ResetPeriod.DAY))
                    .build())
            .build();
    return Quotas.builder()
        .catalog(catalog)
        .store(InMemoryQuotaStore.create())
        .planOf(t -> "free")
        .clock(clock)
        .build();
  }

  /**
   * Uses the whole allowance one millisecond before {@code boundary}, checks it is denied with a
   * retry-after of exactly that millisecond, and that it is whole again at {@code boundary}.
   */
  private void resetsExactlyAt(String zone, String limit, Instant boundary) {
    QuotaEnforcer q = enforcer(zone, boundary.minus(MS));
    assertThat(q.tryConsume(ACME, limit, 10).allowed()).isTrue();
    QuotaDecision denied = q.tryConsume(ACME, limit, 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.resetAt()).contains(boundary);
    assertThat(denied.retryAfter()).contains(MS);
    clock.advance(MS);
    QuotaDecision fresh = q.tryConsume(ACME, limit, 10);
    assertThat(fresh.allowed()).isTrue();
    assertThat(fresh.remaining()).isZero();
  }

  @Test
  void aMonthlyAllowanceResetsAtTheFirstOfTheMonthInTheZone() {
    // Europe/Berlin is UTC+1 in winter: February starts at 23:00 UTC on January 31.
    resetsExactlyAt("Europe/Berlin", API_CALLS, Instant.parse("2026-01-31T23:00:00Z"));
    resetsExactlyAt("UTC", API_CALLS, Instant.parse("2026-02-01T00:00:00Z"));
  }

  @Test
  void monthEndsOfEveryLength() {
    resetsExactlyAt("UTC", API_CALLS, Instant.parse("2026-03-01T00:00:00Z")); // 28-day February
    resetsExactlyAt("UTC", API_CALLS, Instant.parse("2028-03-01T00:00:00Z")); // leap year
    resetsExactlyAt("UTC", API_CALLS, Instant.parse("2026-05-01T00:00:00Z")); // 30-day April
    resetsExactlyAt("UTC", API_CALLS, Instant.parse("2027-01-01T00:00:00Z")); // year end
  }

  @Test
  void aMonthThatStartsOrEndsInSummerTimeResetsAtLocalMidnight() {
    // April 2026 in Berlin starts in summer time (UTC+2), after the change on March 29.
    resetsExactlyAt("Europe/Berlin", API_CALLS, Instant.parse("2026-03-31T22:00:00Z"));
    // November starts in winter time again (UTC+1), after the change on October 25.
    resetsExactlyAt("Europe/Berlin", API_CALLS, Instant.parse("2026-10-31T23:00:00Z"));
    // New York: March 2026 starts in winter time (UTC-5), April in summer time (UTC-4).
    resetsExactlyAt("America/New_York", API_CALLS, Instant.parse("2026-03-01T05:00:00Z"));
    resetsExactlyAt("America/New_York", API_CALLS, Instant.parse("2026-04-01T04:00:00Z"));
  }

  @Test
  void aDailyAllowanceResetsAtMidnightIncludingAroundDaylightSavingChanges() {
    resetsExactlyAt("UTC", TOKENS, Instant.parse("2026-01-16T00:00:00Z"));
    // March 29, 2026 has 23 hours in Berlin: it starts 23:00 UTC the day before, ends 22:00 UTC.
    resetsExactlyAt("Europe/Berlin", TOKENS, Instant.parse("2026-03-28T23:00:00Z"));
    resetsExactlyAt("Europe/Berlin", TOKENS, Instant.parse("2026-03-29T22:00:00Z"));
    // October 25, 2026 has 25 hours in Berlin: it ends 23:00 UTC.
    resetsExactlyAt("Europe/Berlin", TOKENS, Instant.parse("2026-10-25T23:00:00Z"));
  }

  @Test
  void aDayWhoseMidnightDoesNotExistStartsAtItsFirstInstant() {
    // On 2018-11-04 Sao Paulo's clocks jumped from 00:00 to 01:00 (UTC-3 to UTC-2), so that day
    // began at 01:00 local = 03:00 UTC; the next began at 00:00 local (UTC-2) = 02:00 UTC.
    resetsExactlyAt("America/Sao_Paulo", TOKENS, Instant.parse("2018-11-04T03:00:00Z"));
    QuotaEnforcer q = enforcer("America/Sao_Paulo", Instant.parse("2018-11-04T12:00:00Z"));
    QuotaDecision d = q.tryConsume(ACME, TOKENS, 1);
    assertThat(d.resetAt()).contains(Instant.parse("2018-11-05T02:00:00Z"));
  }

  @Test
  void theDailyWindowMovesOnWithoutARestart() {
    QuotaEnforcer q = enforcer("UTC", Instant.parse("2026-01-15T00:00:00Z"));
    for (int day = 0; day < 40; day++) {
      assertThat(q.tryConsume(ACME, TOKENS, 10).allowed()).isTrue();
      assertThat(q.tryConsume(ACME, TOKENS, 1).allowed()).isFalse();
      clock.advance(Duration.ofDays(1));
    }
  }
}
