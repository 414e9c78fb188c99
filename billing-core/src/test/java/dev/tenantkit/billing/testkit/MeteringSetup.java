package dev.tenantkit.billing.testkit;

import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.run.PeriodBiller;
import dev.tenantkit.billing.usage.ChargeUsageReader;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The metering the billing tests bill from, wired once: the meters the default price catalog prices
 * ({@code files} as a level, the built-in {@code storage_bytes}, {@code api_calls} one durable
 * event per call) in a memory store.
 */
public final class MeteringSetup {
  private MeteringSetup() {}

  /**
   * The default catalog's meters: {@code files} (LATEST, so its MAX is the period's peak), {@code
   * storage_bytes} and {@code api_calls} (COUNT, durable so that a query sees every call at once);
   * add more before building.
   */
  public static MeterCatalog.Builder defaultMeters() {
    return MeterCatalog.builder()
        .add(MeterDefinition.builder("files").unit("files").aggregation(Aggregation.LATEST).build())
        .add(Meters.STORAGE_BYTES)
        .add(
            MeterDefinition.builder("api_calls")
                .unit("calls")
                .aggregation(Aggregation.COUNT)
                .build());
  }

  /** Metering over {@code meters} in a memory store, reading {@code clock}; build it. */
  public static Metering.Builder metering(MeterCatalog meters, InstantSource clock) {
    return Metering.builder().store(InMemoryUsageStore.create()).catalog(meters).clock(clock);
  }

  /** The period biller over {@code metering}'s usage and {@code catalog}'s limits. */
  public static PeriodBiller biller(Metering metering, PriceCatalog catalog) {
    return PeriodBiller.of(ChargeUsageReader.of(metering.queries()), catalog.limits());
  }

  /** Metering of {@link #defaultMeters()} in a memory store, reading {@code clock}. */
  public static Metering metering(InstantSource clock) {
    return metering(defaultMeters().build(), clock).build();
  }

  /**
   * Records {@code quantity} of {@code meter} for {@code tenant} at {@code at}, moving {@code
   * clock} there first if it is later (metering refuses events from the future).
   */
  public static void record(
      Metering metering,
      FakeClock clock,
      TenantId tenant,
      String meter,
      String quantity,
      String at) {
    Instant when = Instant.parse(at);
    Duration wait = Duration.between(clock.instant(), when);
    if (!wait.isNegative()) {
      clock.advance(wait);
    }
    metering
        .usageMeter()
        .record(
            UsageEvent.builder(tenant, meter)
                .quantity(new BigDecimal(quantity))
                .timestamp(when)
                .build());
  }
}
