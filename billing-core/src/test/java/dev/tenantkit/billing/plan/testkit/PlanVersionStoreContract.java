package dev.tenantkit.billing.plan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenantkit.billing.plan.BillingInterval;
import dev.tenantkit.billing.plan.PlanCharge;
import dev.tenantkit.billing.plan.PlanPrices;
import dev.tenantkit.billing.plan.PlanVersion;
import dev.tenantkit.billing.plan.PriceCatalog;
import dev.tenantkit.billing.plan.spi.PlanVersionStore;
import dev.tenantkit.billing.price.Charge;
import dev.tenantkit.billing.price.FlatPrice;
import dev.tenantkit.tenancy.InvalidInputException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link PlanVersionStore} must have. A backend's test extends this class and
 * returns an empty store (or one on a fresh schema) from {@link #newStore()}.
 */
public abstract class PlanVersionStoreContract {
  private PlanVersionStore store;

  /** A store with no versions. */
  protected abstract PlanVersionStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
  }

  private static PlanPrices monthly(String fee) {
    return PlanPrices.of(
        "USD",
        BillingInterval.MONTH,
        PlanCharge.of(Charge.flat("subscription", new FlatPrice(new BigDecimal(fee)))));
  }

  @Test
  void theFirstPublicationIsVersionOne() {
    assertThat(store.latest("starter")).isEmpty();
    PlanVersion v1 = store.publish("starter", monthly("29"));
    assertThat(v1.planId()).isEqualTo("starter");
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.prices()).isEqualTo(monthly("29"));
    assertThat(v1.fingerprint()).isEqualTo(monthly("29").fingerprint());
    assertThat(store.latest("starter")).contains(v1);
    assertThat(store.get("starter", 1)).contains(v1);
  }

  @Test
  void unchangedPricesKeepTheirVersion() {
    PlanVersion v1 = store.publish("starter", monthly("29"));
    assertThat(store.publish("starter", monthly("29.00"))).isEqualTo(v1);
    assertThat(store.latest("starter")).contains(v1);
    assertThat(store.get("starter", 2)).isEmpty();
  }

  @Test
  void aPriceChangeMakesANewVersionAndTheOldOneStays() {
    PlanVersion v1 = store.publish("starter", monthly("29"));
    PlanVersion v2 = store.publish("starter", monthly("35"));
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.prices().recurringFee().amount()).isEqualByComparingTo("35");
    assertThat(store.get("starter", 1)).contains(v1);
    assertThat(store.latest("starter")).contains(v2);
    // Going back to v1's prices is a change as well.
    PlanVersion v3 = store.publish("starter", monthly("29"));
    assertThat(v3.version()).isEqualTo(3);
    assertThat(v3.fingerprint()).isEqualTo(v1.fingerprint());
    assertThat(store.get("starter", 1)).contains(v1);
  }

  @Test
  void plansAreNumberedIndependently() {
    store.publish("starter", monthly("29"));
    store.publish("starter", monthly("30"));
    assertThat(store.publish("professional", monthly("99")).version()).isEqualTo(1);
    assertThat(store.get("professional", 2)).isEmpty();
    assertThat(store.get("enterprise", 1)).isEmpty();
    assertThat(store.get("starter", 0)).isEmpty();
    assertThat(store.get("starter", -1)).isEmpty();
  }

  @Test
  void anInvalidPlanIdIsRefused() {
    assertThatThrownBy(() -> store.publish("Not a plan!", monthly("1")))
        .isInstanceOf(InvalidInputException.class);
    assertThat(store.latest("Not a plan!")).isEmpty();
  }

  @Test
  void aCatalogPublishesEveryPricedPlan() {
    Map<String, PlanVersion> first = PriceCatalog.defaults().publish(store);
    assertThat(first.keySet()).containsExactly("free", "starter", "professional", "enterprise");
    assertThat(first.values()).allSatisfy(v -> assertThat(v.version()).isEqualTo(1));
    assertThat(PriceCatalog.defaults().publish(store)).isEqualTo(first);
  }

  @Test
  void concurrentPublishersOfTheSamePricesCreateOneVersion() throws Exception {
    store.publish("starter", monthly("29"));
    List<PlanVersion> results = race(16, i -> store.publish("starter", monthly("39")));
    assertThat(results).allSatisfy(v -> assertThat(v.version()).isEqualTo(2));
    assertThat(store.get("starter", 3)).isEmpty();
  }

  @Test
  void concurrentPriceChangesGetGapFreeVersions() throws Exception {
    int n = 12;
    List<PlanVersion> results =
        race(n, i -> store.publish("starter", monthly(Integer.toString(i))));
    assertThat(results).extracting(PlanVersion::version).doesNotHaveDuplicates();
    for (int v = 1; v <= n; v++) {
      assertThat(store.get("starter", v)).isPresent();
    }
    assertThat(store.latest("starter").orElseThrow().version()).isEqualTo(n);
  }

  private interface Step {
    PlanVersion run(int i) throws Exception;
  }

  private static List<PlanVersion> race(int threads, Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PlanVersion>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int n = i;
        Callable<PlanVersion> c =
            () -> {
              go.await();
              return step.run(n);
            };
        futures.add(pool.submit(c));
      }
      go.countDown();
      List<PlanVersion> out = new ArrayList<>();
      for (Future<PlanVersion> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS));
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }
}
