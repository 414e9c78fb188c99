package dev.tenantkit.benchmarks;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.run.BillingInputs;
import dev.tenantkit.billing.run.PeriodBiller;
import dev.tenantkit.billing.subscription.BillingPeriod;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.billing.testkit.SixChargePlan;
import dev.tenantkit.billing.usage.ChargeUsageReader;
import dev.tenantkit.metering.Metering;
import dev.tenantkit.metering.UsageEvent;
import dev.tenantkit.metering.memory.InMemoryUsageStore;
import dev.tenantkit.tenancy.TenantId;
import dev.tenantkit.tenancy.testkit.FakeClock;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tenant's invoice for March 2026 on a plan with six usage charges of mixed models and a flat
 * fee of 29 in advance ({@link SixChargePlan}, the plan billing-core's tests price too):
 *
 * <ul>
 *   <li>{@code requests}, graduated: 2,232 (744 hourly events of 3): 1,000 x 0.01 + 5 flat + 1,232
 *       x 0.005 = 21.16;
 *   <li>{@code messages}, volume: 248 (31 daily events of 8) reach the second tier: 248 x 0.08 + 2
 *       = 21.84;
 *   <li>{@code emails}, package of 100 at 5: 217 (31 daily events of 7), 3 started packages =
 *       15.00;
 *   <li>{@code payments}, percentage: 1.2% + 0.10 per transaction over 100 transactions of 1.25 to
 *       50.25 (2,575.00 in all): 30.90 + 10.00 = 40.90;
 *   <li>{@code storage}, weighted sum per GiB held at 0.25: 10 GiB for 15 days then 30 GiB for 16,
 *       630 / 31 = 20.322580645161 GiB: 5.08;
 *   <li>{@code seats}, capacity: a daily level peaking at 12, the tier up to 50: 400.00;
 *   <li>the flat fee in advance, 29.00.
 * </ul>
 *
 * Subtotal 532.98; tax 10% of the unrounded 532.980645161290 = 53.30; total 586.28.
 *
 * <p>Three ways, all checked in setup to reach that total: {@link #pricingAndCalculator} prices the
 * given usages and composes the invoice ({@link InvoiceCalculator}, pure, no I/O); {@link
 * #periodBillerEndToEnd} does the same from the month of raw events (1,002 events) in in-memory
 * metering through {@link PeriodBiller}, reading and aggregating the usage each time; {@link
 * #longMinorUnitsControl} computes the same six charges, fee and tax in {@code long} millionths of
 * a dollar. The control is not a peer (no billing system computes invoices like that; Lago is Ruby
 * and Kill Bill a server, neither embeddable): it answers what exactness with {@code BigDecimal}
 * costs against the cheapest arithmetic that still gets these cents right.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
@State(Scope.Benchmark)
public class InvoiceCalculation {
  static final TenantId TENANT = TenantId.of("acme");
  static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
  static final long TOTAL_CENTS = 58_628;
  private static final int DAYS = 31;
  private static final int TRANSACTIONS = 100;
  private static final long GIB = 1L << 30;

  private Metering metering;
  private PeriodBiller biller;
  private PlanVersion plan;
  private Subscription subscription;
  private BillingPeriod period;
  private InvoiceRequest request;
  private long[] transactionCents;
  // Read from a field, as the usages of the other two ways are, so the JIT cannot fold them.
  private final long[] quantities = {2232, 248, 217, 10 * 15 + 30 * 16, 12};

  /** Records the month of events, builds the request from the given usages, checks all three. */
  @Setup(Level.Trial)
  public void setUp() {
    plan = PlanVersion.of("mixed", 1, SixChargePlan.pricesWithFee("29"));
    FakeClock clock = FakeClock.at(MARCH);
    metering =
        Metering.builder()
            .store(InMemoryUsageStore.create())
            .catalog(SixChargePlan.meters())
            .clock(clock)
            .rawRetention(Duration.ofDays(365))
            .build();
    List<BigDecimal> transactions = new ArrayList<>();
    transactionCents = new long[TRANSACTIONS];
    for (int i = 0; i < TRANSACTIONS; i++) {
      transactionCents[i] = (i % 50 + 1) * 100L + 25;
      transactions.add(BigDecimal.valueOf(transactionCents[i], 2));
    }
    recordMonth(clock, transactions);
    clock.advance(Duration.between(clock.instant(), Instant.parse("2026-04-01T12:00:00Z")));
    biller =
        PeriodBiller.of(ChargeUsageReader.of(metering.queries()), PriceCatalog.defaults().limits());
    subscription = Subscription.builder(TENANT, plan, MARCH).trialDays(0).build();
    period = subscription.periods().containing(LocalDate.of(2026, 3, 15));

    InvoicePeriod march = InvoicePeriod.month(2026, 3);
    List<Charge> c = plan.priceCharges();
    request =
        InvoiceRequest.builder("inv-pure", TENANT, plan.currency(), march, march.end())
            .usage(c.get(0), Usage.of(2232))
            .usage(c.get(1), Usage.of(248))
            .usage(c.get(2), Usage.of(217))
            .usage(c.get(3), Usage.transactions(transactions))
            .usage(
                c.get(4),
                Usage.of(
                    BigDecimal.valueOf(10 * 15 + 30 * 16)
                        .divide(
                            BigDecimal.valueOf(DAYS), Money.PRECISE_SCALE, RoundingMode.HALF_UP)))
            .usage(c.get(5), Usage.of(12))
            .usage(c.get(6), Usage.NONE)
            .build();
    check("pricing and calculator", pricingAndCalculator().total().minorUnitsAmount());
    check("period biller", periodBillerEndToEnd().total().minorUnitsAmount());
    check("long control", longMinorUnitsControl());
  }

  private static void check(String what, long cents) {
    if (cents != TOTAL_CENTS) {
      throw new IllegalStateException(what + " totals " + cents + " cents, not " + TOTAL_CENTS);
    }
  }

  /** Closes metering. */
  @TearDown(Level.Trial)
  public void tearDown() {
    metering.close();
  }

  /** Pricing the six charges and the fee from given usages, and composing the invoice. */
  @Benchmark
  public Invoice pricingAndCalculator() {
    return InvoiceCalculator.standard().calculate(request);
  }

  /** The period's invoice from raw events: usage read and aggregated, priced, composed. */
  @Benchmark
  public Invoice periodBillerEndToEnd() {
    return biller.bill("inv-e2e", subscription, plan, period, BillingInputs.NONE);
  }

  /**
   * The control: the same charges, fee and tax in {@code long} millionths (micros), each line
   * rounded half-up to cents, tax on the unrounded sum rounded once; returns the total in cents.
   */
  @Benchmark
  public long longMinorUnitsControl() {
    long requests = quantities[0];
    long graduated = Math.min(requests, 1000) * 10_000;
    if (requests > 1000) {
      graduated += 5_000_000 + (requests - 1000) * 5_000;
    }
    long messages = quantities[1];
    long volume = messages <= 100 ? messages * 100_000 : messages * 80_000 + 2_000_000;
    long emails = quantities[2];
    long packages = (emails + 99) / 100 * 5_000_000;
    long percentage = 0;
    for (long cents : transactionCents) {
      percentage += cents * 120 + 100_000;
    }
    long gibDays = quantities[3];
    long storage = (gibDays * 250_000 * 2 + DAYS) / (2 * DAYS);
    long peak = quantities[4];
    long capacity = peak <= 10 ? 100_000_000 : peak <= 50 ? 400_000_000 : 1_000_000_000;
    long fee = 29_000_000;
    long[] lines = {graduated, volume, packages, percentage, storage, capacity, fee};
    long subtotalCents = 0;
    long preciseMicros = 0;
    for (long micros : lines) {
      subtotalCents += (micros + 5_000) / 10_000;
      preciseMicros += micros;
    }
    long taxCents = (preciseMicros + 50_000) / 100_000;
    return subtotalCents + taxCents;
  }

  /**
   * The month's events in time order, the clock following them: hourly requests, daily messages,
   * emails and seat levels, a payment every 7 hours and 26 minutes, and two storage increments.
   */
  private void recordMonth(FakeClock clock, List<BigDecimal> transactions) {
    List<Event> events = new ArrayList<>();
    for (int h = 0; h < DAYS * 24; h++) {
      events.add(new Event(MARCH.plusSeconds(h * 3600L + 60), "requests", BigDecimal.valueOf(3)));
    }
    for (int d = 0; d < DAYS; d++) {
      Instant day = MARCH.plusSeconds(d * 86_400L + 120);
      events.add(new Event(day, "messages", BigDecimal.valueOf(8)));
      events.add(new Event(day, "emails", BigDecimal.valueOf(7)));
      events.add(new Event(day, "seats", BigDecimal.valueOf(5 + d % 8)));
    }
    for (int i = 0; i < TRANSACTIONS; i++) {
      events.add(new Event(MARCH.plusSeconds(i * 26_760L + 180), "payments", transactions.get(i)));
    }
    events.add(new Event(MARCH, "storage_bytes", BigDecimal.valueOf(10 * GIB)));
    events.add(
        new Event(
            Instant.parse("2026-03-16T00:00:00Z"), "storage_bytes", BigDecimal.valueOf(20 * GIB)));
    events.sort(Comparator.comparing(Event::at));
    for (Event e : events) {
      clock.advance(Duration.between(clock.instant(), e.at()));
      metering
          .usageMeter()
          .record(
              UsageEvent.builder(TENANT, e.meter())
                  .quantity(e.quantity())
                  .timestamp(e.at())
                  .build());
    }
  }

  private record Event(Instant at, String meter, BigDecimal quantity) {}
}
