package dev.tenantkit.billing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.invoice.Invoice;
import dev.tenantkit.billing.invoice.Issuer;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.spi.DraftInsert;
import dev.tenantkit.billing.testkit.BillingFixtures;
import dev.tenantkit.tenancy.TenantId;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
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
        BillingFixtures.race(
            2 * tenants,
            i -> {
              TenantId t = all.get(i % tenants);
              BillingStore s = i < tenants ? one : two;
              Invoice d = BillingFixtures.draft(t, "inv-" + i, 4, "29");
              return s.insertDraft(d, "sub:s:2026-04-01:recurring");
            });
    assertThat(inserts).filteredOn(DraftInsert::created).hasSize(tenants);
    for (TenantId t : all) {
      assertThat(one.invoices(t, null, 10).items()).hasSize(1);
    }
    List<Integer> numbers =
        BillingFixtures.race(
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
    // The billing run's lease is one lease for both instances.
    java.time.Instant now = java.time.Instant.parse("2026-05-01T00:00:00Z");
    String lease = "billing-run-" + a.value();
    assertThat(one.jobLeases().acquire(lease, "one", now, now.plusSeconds(60))).isTrue();
    assertThat(two.jobLeases().acquire(lease, "two", now, now.plusSeconds(60))).isFalse();
  }
}
