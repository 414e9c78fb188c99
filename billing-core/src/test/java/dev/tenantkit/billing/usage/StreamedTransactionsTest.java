package dev.tenantkit.billing.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.ChargeFee;
import dev.tenantkit.billing.price.PercentagePrice;
import dev.tenantkit.billing.price.TransactionAccumulator;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.metering.MeterCatalog;
import dev.tenantkit.metering.MeterDefinition;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.Meters;
import dev.tenantkit.metering.TimeRange;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.InvalidInputException;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A percentage charge over a large number of transactions, read and priced through the streaming
 * path: the usage carries running totals, not the amounts, and the fee is exact.
 */
class StreamedTransactionsTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final Instant MARCH = Instant.parse("2022-03-01T00:00:00Z");
  private static final TimeRange PERIOD =
      new TimeRange(MARCH, Instant.parse("2022-04-01T00:00:00Z"));
  private static final MeterDefinition PAYMENTS =
      MeterDefinition.builder("payments").unit("USD").decimal().build();

  /** 200,000 transactions: 800 free, then 199,200 charged = 498 cycles of the amounts 1 to 400. */
  private static final int TRANSACTIONS = 200_000;

  private static final int CYCLE = 400;
  private static final int FREE = 800;

  /** 1.5% + 0.10 per transaction, the first 800 free, at least 0.20 and at most 3.00 each. */
  private static final PercentagePrice PRICE =
      new PercentagePrice(
          new BigDecimal("1.5"),
          new BigDecimal("0.10"),
          FREE,
          null,
          new BigDecimal("0.20"),
          new BigDecimal("3.00"));

  private final FakeClock clock = FakeClock.at(MARCH);
  private Metering metering;

  @BeforeEach
  void setUp() {
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(MeterCatalog.builder().addAll(Meters.BUILT_INS).add(PAYMENTS).build())
            .clock(clock)
            .build();
  }

  @AfterEach
  void tearDown() {
    metering.close();
  }

  /** The amount of the i-th transaction (from 0): 1 to 400, over and over. */
  private static BigDecimal amount(int i) {
    return BigDecimal.valueOf(i % CYCLE + 1);
  }

  /** One event a second from the start of March, recorded in batches as the clock moves. */
  private void recordAll() {
    int batch = 1_000;
    for (int from = 0; from < TRANSACTIONS; from += batch) {
      List<UsageEvent> events = new ArrayList<>(batch);
      for (int i = from; i < from + batch; i++) {
        events.add(
            UsageEvent.builder(ACME, "payments")
                .quantity(amount(i))
                .timestamp(MARCH.plusSeconds(i))
                .build());
      }
      clock.advance(Duration.between(clock.instant(), MARCH.plusSeconds(from + batch)));
      metering.usageMeter().recordAll(events);
    }
  }

  /**
   * The fee in closed form. Per charged cycle of the amounts 1 to 400, each transaction bills 1.5%
   * of its amount + 0.10, raised to 0.20 or cut to 3.00: amounts 1 to 6 bill the minimum (6 x 0.20
   * = 1.20); 7 to 193 bill 0.015 x (7 + ... + 193) + 187 x 0.10 = 0.015 x 18,700 + 18.70 = 299.20;
   * 194 to 400 bill the maximum (207 x 3.00 = 621.00): 921.40 a cycle, for 498 cycles.
   */
  private static BigDecimal expectedFee() {
    long cycles = (TRANSACTIONS - FREE) / CYCLE;
    BigDecimal minimum = new BigDecimal("0.20").multiply(BigDecimal.valueOf(6));
    long middleSum = 193L * 194 / 2 - 6L * 7 / 2;
    BigDecimal middle =
        new BigDecimal("0.015")
            .multiply(BigDecimal.valueOf(middleSum))
            .add(new BigDecimal("0.10").multiply(BigDecimal.valueOf(193 - 7 + 1)));
    BigDecimal maximum = new BigDecimal("3.00").multiply(BigDecimal.valueOf(CYCLE - 194 + 1));
    return minimum.add(middle).add(maximum).multiply(BigDecimal.valueOf(cycles));
  }

  @Test
  void twoHundredThousandTransactionsArePricedAsTheyStream() {
    recordAll();
    Charge charge = Charge.usage("payments", "payments", Aggregation.SUM, PRICE);

    Usage usage = ChargeUsageReader.of(metering.queries()).read(ACME, charge, PERIOD);
    ChargeFee fee = charge.price(usage, BigDecimal.ONE);

    assertThat(expectedFee()).isEqualByComparingTo("458857.2");
    assertThat(fee.total()).isEqualByComparingTo(expectedFee());
    // The usage holds the totals of 200,000 transactions, not their amounts.
    assertThat(usage.transactions()).hasSize(TRANSACTIONS);
    assertThatThrownBy(() -> usage.transactions().get(0))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("not kept");
    // The same fee, steps and all, as pricing the list of every amount.
    List<BigDecimal> amounts = new ArrayList<>(TRANSACTIONS);
    for (int i = 0; i < TRANSACTIONS; i++) {
      amounts.add(amount(i));
    }
    assertThat(charge.price(new Usage(usage.quantity(), amounts), BigDecimal.ONE)).isEqualTo(fee);
  }

  /**
   * A negative amount (metering refuses them for this meter, so fed here by hand) is refused when
   * priced, naming it, as in a list; the amounts after it do not matter.
   */
  @Test
  void aNegativeTransactionIsRefusedWhenPricedAsInAList() {
    PercentagePrice price = PercentagePrice.of("1");
    TransactionAccumulator streamed = price.transactionAccumulator();
    streamed.add(new BigDecimal("5"));
    streamed.add(new BigDecimal("-2"));
    streamed.add(new BigDecimal("3"));
    Usage usage = new Usage(new BigDecimal("6"), streamed.transactions());

    assertThatThrownBy(() -> price.price(usage))
        .isInstanceOfSatisfying(
            InvalidInputException.class, e -> assertThat(e.field()).isEqualTo("transactions[1]"));
  }

  /** Totals tallied by one price are not priced by another. */
  @Test
  void totalsTalliedForAnotherPriceAreRefused() {
    clock.advance(Duration.ofHours(1));
    metering
        .usageMeter()
        .record(
            UsageEvent.builder(ACME, "payments")
                .quantity(BigDecimal.TEN)
                .timestamp(MARCH.plusSeconds(1))
                .build());
    Usage usage =
        ChargeUsageReader.of(metering.queries())
            .read(
                ACME,
                Charge.usage("payments", "payments", Aggregation.SUM, PercentagePrice.of("1")),
                PERIOD);

    assertThat(PercentagePrice.of("1").price(usage).amount()).isEqualByComparingTo("0.1");
    assertThatThrownBy(() -> PercentagePrice.of("2").price(usage))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tallied for another price");
  }
}
