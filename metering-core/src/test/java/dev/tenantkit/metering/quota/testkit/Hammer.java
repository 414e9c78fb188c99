package dev.tenantkit.metering.quota.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** Runs an attempt on many threads released together and counts the successes. */
public final class Hammer {
  private Hammer() {}

  /**
   * Runs {@code attempt} {@code perThread} times on each of {@code threads} threads.
   *
   * @return how many attempts returned true
   * @throws Exception the first failure of an attempt
   */
  public static long run(int threads, int perThread, Callable<Boolean> attempt) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  int ok = 0;
                  for (int i = 0; i < perThread; i++) {
                    if (attempt.call()) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      start.countDown();
      long total = 0;
      for (Future<Integer> f : futures) {
        total += f.get();
      }
      return total;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Like {@link #run}, each attempt on {@code first} and {@code second} in turn, as requests spread
   * over two application instances.
   *
   * @return how many attempts returned true
   * @throws Exception the first failure of an attempt
   */
  public static <T> long alternating(
      int threads, int perThread, T first, T second, Predicate<T> attempt) throws Exception {
    AtomicInteger turn = new AtomicInteger();
    return run(
        threads, perThread, () -> attempt.test(turn.incrementAndGet() % 2 == 0 ? first : second));
  }
}
