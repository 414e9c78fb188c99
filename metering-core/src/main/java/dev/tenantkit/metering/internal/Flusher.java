package dev.tenantkit.metering.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the buffer every flush interval, and early when a full batch (or half the capacity, if
 * that is less) is held. Runs on the host's scheduler when one was given, else on one daemon thread
 * named {@code tenantkit-metering-flusher-N} that {@link #stop()} ends and joins. Thread-safe.
 */
final class Flusher {
  static final String THREAD_PREFIX = "tenantkit-metering-flusher-";

  private static final Logger LOG = LoggerFactory.getLogger(Flusher.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final EventBuffer buffer;
  private final ScheduledExecutorService executor;
  private final ScheduledThreadPoolExecutor own;
  private final ScheduledFuture<?> periodic;
  private volatile Thread thread;

  Flusher(EventBuffer buffer, Duration interval, ScheduledExecutorService hostExecutor) {
    this.buffer = buffer;
    if (hostExecutor == null) {
      String name = THREAD_PREFIX + INSTANCES.incrementAndGet();
      own =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                thread = t;
                return t;
              });
      own.setRemoveOnCancelPolicy(true);
      executor = own;
    } else {
      own = null;
      executor = hostExecutor;
    }
    long millis = Math.max(1, interval.toMillis());
    periodic =
        executor.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    buffer.onBacklog(this::flushSoon);
  }

  /**
   * Cancels the periodic flush and, when the thread is the library's own, stops and joins it. Waits
   * for a flush that is running. Does not flush: the caller does that last.
   */
  void stop() {
    buffer.onBacklog(() -> {});
    periodic.cancel(false);
    if (own == null) {
      return;
    }
    own.shutdown();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (own.awaitTermination(10, TimeUnit.SECONDS)) {
            Thread t = thread;
            if (t != null) {
              t.join();
            }
            return;
          }
          LOG.info("waiting for the usage flusher to finish writing");
        } catch (InterruptedException e) {
          // Returning early would leave the thread running, which close() promises not to do.
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void flushSoon() {
    try {
      executor.execute(
          () -> {
            buffer.earlyFlushStarted();
            flushQuietly();
          });
    } catch (RejectedExecutionException e) {
      // Shutting down: close() flushes what is left.
      buffer.earlyFlushStarted();
    }
  }

  private void flushQuietly() {
    try {
      buffer.flush();
    } catch (RuntimeException e) {
      LOG.warn(
          "writing {} buffered usage events failed; they stay buffered and are retried",
          buffer.held(),
          e);
    }
  }
}
