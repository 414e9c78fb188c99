package dev.tenantkit.benchmarks.internal;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap a piece of work needed, in two measures, from {@link #start()} to {@link #stop()}:
 *
 * <ul>
 *   <li>{@link #peakUsedBytes()}: the sum of each heap pool's peak usage ({@link
 *       MemoryPoolMXBean#getPeakUsage()}, reset at the start). It includes garbage not yet
 *       collected, so it mostly tells how far the young generation was let fill before a
 *       collection; an upper bound on what the heap held at once.
 *   <li>{@link #peakAfterGcBytes()}: the largest heap in use right after a collection (every
 *       collector's notifications, summed over the heap pools), or {@code -1} if no collection ran.
 *       Right after a collection the heap holds what is reachable plus old-generation garbage not
 *       yet collected, so this is an upper bound on the live set that follows what the work keeps:
 *       a run that holds every invoice grows it, a streaming run does not.
 * </ul>
 *
 * The JVM's own state outside the work (classes, pools, the benchmark's setup) is in both. Thread-
 * safe (collections are reported on a JVM thread); one watch measures one piece of work at a time.
 */
public final class HeapWatch implements AutoCloseable {
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final List<GarbageCollectorMXBean> collectors =
      ManagementFactory.getGarbageCollectorMXBeans();
  private final AtomicLong peakAfterGc = new AtomicLong(-1);
  private final AtomicLong seen = new AtomicLong();
  private final NotificationListener listener = (n, handback) -> afterGc(n.getUserData());
  private volatile boolean watching;
  private long collectionsAtStart;

  /** A watch on this JVM's heap pools and collectors; it listens until {@link #close()}. */
  public HeapWatch() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        heapPools.add(pool);
      }
    }
    for (GarbageCollectorMXBean gc : collectors) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(
            listener,
            n ->
                n.getType()
                    .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION),
            null);
        emitters.add(emitter);
      }
    }
  }

  private void afterGc(Object data) {
    if (!watching || !(data instanceof CompositeData cd)) {
      return;
    }
    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(cd);
    long used = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
      if (after != null) {
        used += after.getUsed();
      }
    }
    peakAfterGc.accumulateAndGet(used, Math::max);
    seen.incrementAndGet();
  }

  private long collections() {
    long sum = 0;
    for (GarbageCollectorMXBean gc : collectors) {
      sum += Math.max(0, gc.getCollectionCount());
    }
    return sum;
  }

  /** Resets both peaks and starts watching. */
  public void start() {
    peakAfterGc.set(-1);
    seen.set(0);
    collectionsAtStart = collections();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    watching = true;
  }

  /**
   * Stops watching, once the notifications of the collections that ran since {@link #start()} have
   * arrived (the JVM sends them from its own thread, a moment after each collection), or after
   * {@code 2} seconds. Call it outside the measured work.
   *
   * @throws InterruptedException if interrupted while waiting
   */
  public void stop() throws InterruptedException {
    long ran = collections() - collectionsAtStart;
    for (int i = 0; i < 200 && seen.get() < ran; i++) {
      Thread.sleep(10);
    }
    watching = false;
  }

  /** The sum of the heap pools' peak usage since {@link #start()}. */
  public long peakUsedBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      sum += pool.getPeakUsage().getUsed();
    }
    return sum;
  }

  /** The largest heap in use after a collection while watching; {@code -1} if none ran. */
  public long peakAfterGcBytes() {
    return peakAfterGc.get();
  }

  /** Stops listening to the collectors. */
  @Override
  public void close() {
    watching = false;
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (javax.management.ListenerNotFoundException e) {
        // Already removed: nothing left to stop.
      }
    }
  }
}
