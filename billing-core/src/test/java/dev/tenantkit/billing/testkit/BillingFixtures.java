package dev.tenantkit.billing.testkit;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.StandardPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.metering.Aggregation;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Values and a race helper for the billing store tests. */
public final class BillingFixtures {
  /** When the fixtures' subscriptions start. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private BillingFixtures() {}

  /**
   * A USD draft for a month of 2026: a flat fee and 12,345 calls at 0.0001 (a line of 1.2345,
   * rounded to 1.23), tax at the default rate.
   */
  public static Invoice draft(TenantId tenant, String id, int month, String fee) {
    InvoicePeriod period = InvoicePeriod.month(2026, month);
    return InvoiceCalculator.standard()
        .calculate(
            InvoiceRequest.builder(id, tenant, Money.currency("USD"), period, period.end())
                .usage(Charge.flat("base", new FlatPrice(new BigDecimal(fee))), Usage.NONE)
                .usage(
                    Charge.usage(
                        "calls",
                        "calls",
                        Aggregation.SUM,
                        new StandardPrice(new BigDecimal("0.0001"))),
                    Usage.of(new BigDecimal("12345")))
                .build());
  }

  /** A subscription to starter v1 ($29 a month) from {@link #START}. */
  public static Subscription subscription(TenantId tenant) {
    PlanVersion v =
        PlanVersion.of(
            "starter",
            1,
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal("29"))))));
    return Subscription.builder(tenant, v, START).build();
  }

  /** One step of a race, given its index. */
  public interface Step<T> {
    /** Runs step {@code i}. */
    T run(int i) throws Exception;
  }

  /** Runs {@code threads} steps at once (released together) and returns their results in order. */
  public static <T> List<T> race(int threads, Step<T> step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  go.await();
                  return step.run(n);
                }));
      }
      go.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get(120, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
