package dev.tenantkit.billing.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantkit.billing.Money;
import dev.tenantkit.billing.memory.InMemoryBillingStore;
import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.memory.InMemoryPlanVersionStore;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.billing.spi.BillingStore;
import dev.tenantkit.billing.subscription.Subscription;
import dev.tenantkit.tenancy.TenantId;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRevenueReportsTest extends RevenueReportsContract {
  @Override
  protected BillingStore newStore() {
    return new InMemoryBillingStore();
  }

  @Test
  void aChargesOwnDiscountLowersMrr() {
    InMemoryPlanVersionStore plans = new InMemoryPlanVersionStore();
    PlanVersion discounted =
        plans.publish(
            "team",
            PlanPrices.of(
                "USD",
                BillingInterval.MONTH,
                PlanCharge.of(
                    Charge.flat("subscription", new FlatPrice(new BigDecimal("100")))
                        .withDiscountPercent(new BigDecimal("20")))));
    BillingStore store = new InMemoryBillingStore();
    store.insertSubscription(
        Subscription.builder(TenantId.of("team-1"), discounted, START).trialDays(0).build());

    assertThat(RevenueReports.of(store, plans).recurringRevenue(NOW).byCurrency())
        .containsExactly(
            new CurrencyRecurring(Money.of("80.00", "USD"), Money.of("960.00", "USD"), 1));
  }

  @Test
  void everyListingIsReadInPagesOfThePageSize() {
    List<Integer> limits = new ArrayList<>();
    RevenueReports reports = RevenueReports.of(counting(store(), limits), plans()).withPageSize(2);

    reports.monthlyRevenue(YearMonth.of(2026, 2), YearMonth.of(2026, 3));
    // Eleven invoices (ten issued and a draft) in pages of 2: six calls, each asking for 2.
    assertThat(limits).hasSize(6).containsOnly(2);

    limits.clear();
    reports.recurringRevenue(NOW);
    // Six subscriptions: pages of 2, 2, 2 and an empty one that ends the listing.
    assertThat(limits).hasSize(4).containsOnly(2);
  }

  /** A store passing every call through, noting the limit of each operator listing. */
  private static BillingStore counting(BillingStore store, List<Integer> limits) {
    return (BillingStore)
        Proxy.newProxyInstance(
            BillingStore.class.getClassLoader(),
            new Class<?>[] {BillingStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("allInvoices")
                  || method.getName().equals("activeSubscriptions")) {
                limits.add((Integer) args[2]);
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
