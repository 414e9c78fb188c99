package dev.tenantkit.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class TenantContextTest {
  private static final TenantId A = TenantId.of("a");
  private static final TenantId B = TenantId.of("b");

  @AfterEach
  void nothingLeaks() {
    assertThat(TenantContext.currentTenant()).isEmpty();
    assertThat(MDC.get(TenantContext.MDC_KEY)).isNull();
  }

  @Test
  void runBindsAndRestoresEvenWhenNestedOrThrowing() {
    TenantContext.run(
        A,
        () -> {
          assertThat(TenantContext.requireTenant()).isEqualTo(A);
          assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo("a");
          assertThat(TenantContext.call(B, TenantContext::requireTenant)).isEqualTo(B);
          assertThatThrownBy(
                  () ->
                      TenantContext.run(
                          B,
                          () -> {
                            throw new IllegalStateException("boom");
                          }))
              .hasMessage("boom");
          assertThat(TenantContext.requireTenant()).isEqualTo(A);
          assertThat(MDC.get(TenantContext.MDC_KEY)).isEqualTo("a");
        });
  }

  @Test
  void requireTenantAndScopeFailClearly() {
    assertThatThrownBy(TenantContext::requireTenant).isInstanceOf(NoTenantBoundException.class);
    assertThatThrownBy(() -> TenantContext.requireScope("x"))
        .isInstanceOf(NoTenantBoundException.class);
    TenantBinding readOnly =
        new TenantBinding(A, java.util.Set.of("usage:read"), TenantBinding.Credential.API_KEY, "k");
    TenantContext.run(
        readOnly,
        () -> {
          TenantContext.requireScope("usage:read");
          assertThatThrownBy(() -> TenantContext.requireScope("files:write"))
              .isInstanceOf(MissingScopeException.class);
        });
  }

  @Test
  void aThreadStartedInsideAScopeDoesNotInheritTheTenant() throws Exception {
    AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
    Thread[] thread = new Thread[1];
    TenantContext.run(
        A,
        () -> {
          thread[0] = new Thread(() -> seen.set(TenantContext.currentTenant()));
          thread[0].start();
        });
    thread[0].join();
    assertThat(seen.get()).isEmpty();
  }

  @Test
  void pooledThreadsSeeTheSubmittersTenantAndNeverAStaleOne() throws Exception {
    // One thread, so every task runs on the thread the previous task used.
    ExecutorService pool = TenantContext.propagating(Executors.newSingleThreadExecutor());
    try {
      List<Future<Optional<TenantId>>> futures = new ArrayList<>();
      List<Optional<TenantId>> expected = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        Callable<Optional<TenantId>> probe = TenantContext::currentTenant;
        TenantId t = i % 3 == 0 ? A : i % 3 == 1 ? B : null;
        if (t == null) {
          futures.add(pool.submit(probe));
        } else {
          futures.add(TenantContext.call(t, () -> pool.submit(probe)));
        }
        expected.add(Optional.ofNullable(t));
      }
      List<Optional<TenantId>> actual = new ArrayList<>();
      for (Future<Optional<TenantId>> f : futures) {
        actual.add(f.get());
      }
      assertThat(actual).isEqualTo(expected);
      // invokeAll carries the tenant too.
      List<Future<Optional<TenantId>>> all =
          TenantContext.call(
              B,
              () -> {
                try {
                  return pool.invokeAll(List.of(TenantContext::currentTenant));
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertThat(all.get(0).get()).contains(B);
      // After all that, the pool thread itself holds nothing.
      assertThat(pool.submit(() -> TenantContext.currentTenant()).get()).isEmpty();
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void propagatingExecutorCarriesTheTenant() throws Exception {
    ExecutorService raw = Executors.newFixedThreadPool(2);
    try {
      AtomicReference<Optional<TenantId>> seen = new AtomicReference<>();
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      TenantContext.run(
          A,
          () ->
              TenantContext.propagating((java.util.concurrent.Executor) raw)
                  .execute(
                      () -> {
                        seen.set(TenantContext.currentTenant());
                        done.countDown();
                      }));
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen.get()).contains(A);
    } finally {
      raw.shutdownNow();
    }
  }
}
