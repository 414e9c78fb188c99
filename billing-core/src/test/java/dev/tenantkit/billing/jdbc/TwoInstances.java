package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.InvoiceCalculator;
import dev.tenantkit.billing.invoice.InvoicePeriod;
import dev.tenantkit.billing.invoice.InvoiceRequest;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.price.Usage;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.DraftInsert;
import dev.tenantkit.tenancy.TenantId;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Two store instances on one database, as two application instances have: a billing run on both at
 * once stores one draft per key, and their finalizations share one gap-free sequence.
 */
final class TwoInstances {
  private TwoInstances() {}

  static void check(BillingStore one, BillingStore two, TenantId a, TenantId b, Issuer issuer)
      throws Exception {
    int tenants = 6;
    List<TenantId> all = new ArrayList<>();
    for (int i = 0; i < tenants; i++) {
      all.add(TenantId.of((i % 2 == 0 ? a : b).value() + "i" + i));
    }
    // Both instances bill every tenant: one invoice per tenant in the end.
    List<DraftInsert> inserts =
        race(
            2 * tenants,
            i -> {
              TenantId t = all.get(i % tenants);
              BillingStore s = i < tenants ? one : two;
              Invoice d = draft(t, "inv-" + i);
              return s.insertDraft(d, "sub:s:2026-04-01:recurring");
            });
    assertThat(inserts).filteredOn(DraftInsert::created).hasSize(tenants);
    for (TenantId t : all) {
      assertThat(one.invoices(t, null, 10).items()).hasSize(1);
    }
    List<Integer> numbers =
        race(
            tenants,
            i -> {
              TenantId t = all.get(i);
              BillingStore s = i % 2 == 0 ? one : two;
              Invoice stored = s.invoices(t, null, 1).items().get(0);
              return s.finalizeInvoice(t, stored.id(), 1, issuer, LocalDate.of(2026, 5, 1))
                  .orElseThrow()
                  .value()
                  .number()
                  .sequence();
            });
    assertThat(numbers)
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, tenants).boxed().toList());
  }

  private static Invoice draft(TenantId tenant, String id) {
    return InvoiceCalculator.standard()
        .calculate(
            InvoiceRequest.builder(
                    id,
                    tenant,
                    Money.currency("USD"),
                    InvoicePeriod.month(2026, 4),
                    LocalDate.of(2026, 5, 1))
                .usage(Charge.flat("base", new FlatPrice(new BigDecimal("29"))), Usage.NONE)
                .build());
  }

  private interface Step<T> {
    T run(int i) throws Exception;
  }

  private static <T> List<T> race(int threads, Step<T> step) throws Exception {
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
