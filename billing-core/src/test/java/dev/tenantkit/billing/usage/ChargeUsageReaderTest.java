package dev.tenantkit.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.Fee;
import dev.tenantkit.billing.price.FeeStep;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.PriceModel;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.testkit.MeteringSetup;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.metering.spi.UsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Usage read for charges from a real metering setup, in memory (and on H2 by a subclass). */
class ChargeUsageReaderTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId OTHER = TenantId.of("other");
  private static final TimeRange MARCH =
      new TimeRange(Instant.parse("2022-03-01T00:00:00Z"), Instant.parse("2022-04-01T00:00:00Z"));

  /** A payment meter whose quantity is each transaction's amount. */
  private static final MeterDefinition PAYMENTS =
      MeterDefinition.builder("payments").unit("USD").decimal().build();

  private final FakeClock clock = FakeClock.at(MARCH.from());
  private Metering metering;
  private ChargeUsageReader reader;

  /** The store under metering; memory here. */
  UsageStore store() {
    return InMemoryUsageStore.create();
  }

  @BeforeEach
  void setUp() {
    metering =
        Metering.builder()
            .store(store())
            .catalog(MeterCatalog.builder().addAll(Meters.BUILT_INS).add(PAYMENTS).build())
            .clock(clock)
            .build();
    reader = ChargeUsageReader.of(metering.queries());
  }

  /** Closes what {@link #store()} opened, after metering is closed; nothing here. */
  void closeStore() {}

  @AfterEach
  void tearDown() {
    metering.close();
    closeStore();
  }

  private void record(TenantId t, String meter, String quantity, String at) {
    MeteringSetup.record(metering, clock, t, meter, quantity, at);
  }

  /** A model priced per transaction, as the percentage models are; it prices nothing itself. */
  private static final PriceModel PER_TRANSACTION =
      new PriceModel() {
        @Override
        public String type() {
          return "test_transactions";
        }

        @Override
        public Fee price(Usage usage) {
          return Fee.of(
              BigDecimal.ZERO,
              new FeeStep(
                  "none", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO));
        }

        @Override
        public boolean pricesTransactions() {
          return true;
        }
      };

  @Test
  void aFlatChargeReadsNoUsage() {
    record(ACME, "storage_bytes", "5", "2022-03-02T00:00:00Z");
    Charge flat = Charge.flat("base", new FlatPrice(new BigDecimal("29")));

    assertThat(reader.read(ACME, flat, MARCH)).isEqualTo(Usage.NONE);
  }

  /**
   * Bytes stored (a SUM meter of increments, as the built-in storage_bytes) billed by their
   * time-weighted sum: Lago's worked example, 20 then +10 from the 16th and 17th of March, is
   * 15.1612903226 (here to 12 decimals); billed as SUM it is the net change, 30, and as MAX the
   * largest increment.
   */
  @Test
  void theQuantityIsTheMetersUsageAggregatedAsTheChargeSays() {
    record(ACME, "storage_bytes", "20", "2022-03-16T00:00:00Z");
    record(OTHER, "storage_bytes", "1000", "2022-03-16T12:00:00Z");
    record(ACME, "storage_bytes", "10", "2022-03-17T00:00:00Z");
    record(ACME, "storage_bytes", "4", "2022-04-01T00:00:00Z");
    StandardPrice perUnit = new StandardPrice(new BigDecimal("10"));

    assertThat(
            reader.read(
                ACME,
                Charge.usage("storage", "storage_bytes", Aggregation.WEIGHTED_SUM, perUnit),
                MARCH))
        .isEqualTo(Usage.of(new BigDecimal("15.161290322581")));
    assertThat(
            reader.read(
                ACME, Charge.usage("net", "storage_bytes", Aggregation.SUM, perUnit), MARCH))
        .isEqualTo(Usage.of(30));
    assertThat(
            reader.read(
                ACME, Charge.usage("peak", "storage_bytes", Aggregation.MAX, perUnit), MARCH))
        .isEqualTo(Usage.of(20));
    assertThat(
            reader.read(
                ACME, Charge.usage("uploads", "storage_bytes", Aggregation.COUNT, perUnit), MARCH))
        .isEqualTo(Usage.of(2));
  }

  @Test
  void aNegativeAggregateBillsAsZero() {
    record(ACME, "storage_bytes", "50", "2022-02-28T23:30:00Z");
    record(ACME, "storage_bytes", "-20", "2022-03-10T00:00:00Z");
    StandardPrice perUnit = new StandardPrice(BigDecimal.ONE);

    assertThat(
            reader.read(
                ACME, Charge.usage("net", "storage_bytes", Aggregation.SUM, perUnit), MARCH))
        .isEqualTo(Usage.NONE);
    // The level itself stayed positive: 50 for 9 days, then 30 for 22 days, over 31.
    assertThat(
            reader
                .read(
                    ACME,
                    Charge.usage("gb", "storage_bytes", Aggregation.WEIGHTED_SUM, perUnit),
                    MARCH)
                .quantity())
        .isEqualTo(new BigDecimal("35.806451612903"));
  }

  /**
   * A model priced per transaction gets each event's amount, oldest first, even when a late event
   * was recorded after newer ones; events of the next period and of other tenants are not included.
   */
  @Test
  void transactionsAreEachEventsAmountOldestFirst() {
    record(ACME, "payments", "100", "2022-03-05T10:00:00Z");
    record(ACME, "payments", "12.5", "2022-03-05T10:30:00Z");
    // Late by twenty minutes, recorded after the 10:30 payment.
    record(ACME, "payments", "7.25", "2022-03-05T10:10:00Z");
    record(OTHER, "payments", "999", "2022-03-05T10:40:00Z");
    record(ACME, "payments", "3", "2022-04-01T00:00:00Z");
    Charge percentage = Charge.usage("fees", "payments", Aggregation.SUM, PER_TRANSACTION);

    Usage usage = reader.read(ACME, percentage, MARCH);

    assertThat(usage.quantity()).isEqualTo("119.75");
    assertThat(usage.transactions())
        .containsExactly(new BigDecimal("100"), new BigDecimal("7.25"), new BigDecimal("12.5"));
    TimeRange april =
        new TimeRange(Instant.parse("2022-04-01T00:00:00Z"), Instant.parse("2022-05-01T00:00:00Z"));
    assertThat(reader.read(ACME, percentage, april).transactions())
        .containsExactly(new BigDecimal("3"));
  }

  @Test
  void aChargeTheMeteringCannotAnswerIsRefused() {
    StandardPrice perUnit = new StandardPrice(BigDecimal.ONE);

    assertThatThrownBy(
            () -> reader.read(ACME, Charge.usage("x", "nope", Aggregation.SUM, perUnit), MARCH))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("meter"));
    // The last increment of a sum means nothing.
    assertThatThrownBy(
            () ->
                reader.read(
                    ACME, Charge.usage("x", "storage_bytes", Aggregation.LATEST, perUnit), MARCH))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("aggregation"));
    assertThat(Meters.API_CALLS.readableAs(Aggregation.SUM)).isFalse();
  }
}
