package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TenantTagsTest {
  private static final TenantId A = TenantId.of("a");
  private static final TenantId B = TenantId.of("b");
  private static final TenantId C = TenantId.of("c");

  @Test
  void noneTagsNothing() {
    TenantTags none = TenantTags.none();

    assertThat(none.enabled()).isFalse();
    assertThat(none.maxTenants()).isZero();
    assertThatThrownBy(() -> none.valueOf(A))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("off");
  }

  @Test
  void theFirstTenantsKeepTheirIdAndLaterOnesShareOther() {
    TenantTags tags = TenantTags.firstSeen(2);

    assertThat(tags.valueOf(A)).isEqualTo("a");
    assertThat(tags.valueOf(B)).isEqualTo("b");
    assertThat(tags.valueOf(C)).isEqualTo(TenantTags.OTHER);
    assertThat(tags.valueOf(A)).isEqualTo("a");
    assertThat(tags.valueOf(C)).isEqualTo(TenantTags.OTHER);
    assertThat(tags.taggedTenants()).isEqualTo(2);
  }

  @Test
  void otherCannotBeATenantId() {
    assertThatThrownBy(() -> TenantId.of(TenantTags.OTHER))
        .isInstanceOf(InvalidTenantIdException.class);
  }

  @Test
  void theCapIsValidated() {
    assertThatThrownBy(() -> TenantTags.firstSeen(0))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("1 to 10000");
    assertThatThrownBy(() -> TenantTags.firstSeen(TenantTags.MAX_TENANTS + 1))
        .isInstanceOf(InvalidInputException.class);
    assertThat(TenantTags.firstSeen(TenantTags.MAX_TENANTS).maxTenants()).isEqualTo(10_000);
    assertThatThrownBy(() -> TenantTags.firstSeen(1).valueOf(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void concurrentCallersNeverExceedTheCapAndAlwaysAgree() throws Exception {
    int max = 50;
    int tenants = 400;
    TenantTags tags = TenantTags.firstSeen(max);
    Map<TenantId, String> seen = new ConcurrentHashMap<>();
    List<String> disagreements = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int offset = t * 37;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < tenants; i++) {
                    TenantId tenant = TenantId.of("t" + ((i + offset) % tenants));
                    String value = tags.valueOf(tenant);
                    String earlier = seen.putIfAbsent(tenant, value);
                    if (earlier != null && !earlier.equals(value)) {
                      synchronized (disagreements) {
                        disagreements.add(tenant + ": " + earlier + " then " + value);
                      }
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(disagreements).isEmpty();
    assertThat(seen).hasSize(tenants);
    assertThat(seen.values().stream().filter(v -> !v.equals(TenantTags.OTHER))).hasSize(max);
    assertThat(tags.taggedTenants()).isEqualTo(max);
  }
}
