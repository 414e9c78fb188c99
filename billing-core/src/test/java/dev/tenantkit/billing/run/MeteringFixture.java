package dev.tenantkit.billing.run;

import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.testkit.MeteringSetup;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real metering setup in memory for the billing tests, with the meters the default catalog and
 * the test plans price:
 *
 * <ul>
 *   <li>{@code files}: the number of files held, reported as a level (LATEST), so its MAX is the
 *       period's peak;
 *   <li>{@code storage_bytes}: the built-in meter of increments;
 *   <li>{@code api_calls}: one event per call (COUNT), as the built-in meter, but durable so that a
 *       query sees every call at once (the built-in one is buffered); see {@link #calls}.
 *   <li>{@code requests}, {@code messages}, {@code emails} (SUM), {@code payments} (decimal SUM,
 *       one event per payment) and {@code seats} (a level, LATEST).
 * </ul>
 */
abstract class MeteringFixture {
  static final TenantId ACME = TenantId.of("acme");

  final FakeClock clock = FakeClock.at(Instant.parse("2020-01-01T00:00:00Z"));
  Metering metering;
  PeriodBiller biller;
  final PriceCatalog catalog = PriceCatalog.defaults();

  @BeforeEach
  void startMetering() {
    MeterCatalog meters =
        MeteringSetup.defaultMeters()
            .add(MeterDefinition.builder("requests").unit("requests").build())
            .add(MeterDefinition.builder("messages").unit("messages").build())
            .add(MeterDefinition.builder("emails").unit("emails").build())
            .add(MeterDefinition.builder("payments").unit("USD").decimal().build())
            .add(
                MeterDefinition.builder("seats")
                    .unit("seats")
                    .aggregation(Aggregation.LATEST)
                    .build())
            .build();
    metering = MeteringSetup.metering(meters, clock).rawRetention(Duration.ofDays(365)).build();
    biller = MeteringSetup.biller(metering, catalog);
  }

  @AfterEach
  void stopMetering() {
    metering.close();
  }

  /** Records {@code quantity} of {@code meter} at {@code at}, moving the clock there if later. */
  void record(String meter, String quantity, String at) {
    MeteringSetup.record(metering, clock, ACME, meter, quantity, at);
  }

  /** Records {@code count} API calls at {@code at}, one event each, as the metering filter does. */
  void calls(int count, String at) {
    for (int i = 0; i < count; i++) {
      record("api_calls", "1", at);
    }
  }

  /** Moves the clock to {@code at}. */
  void at(String at) {
    Duration wait = Duration.between(clock.instant(), Instant.parse(at));
    if (!wait.isNegative()) {
      clock.advance(wait);
    }
  }
}
