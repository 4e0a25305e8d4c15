package io.aigw.projections.runtime;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Watches how full the heap is after garbage collections. A host asks it before keeping a snapshot:
 * when the heap is above {@code share} of the maximum, the host thins its snapshots instead of
 * letting soft references go in whatever order the collector picks, so the snapshots it keeps stay
 * evenly spread over the log.
 *
 * <p>The heap after a young collection still holds the old generation's garbage, which only a mixed
 * or full collection frees: a replay promotes object versions that die there soon after, so after
 * young collections the heap of a 512 MiB replay is more than half full of garbage. Only
 * collections that freed old-generation space (or full ones) count, and the smallest of the last
 * {@value #WINDOW} such after-collection figures is the estimate of what is live. A collector
 * without a recognisable old generation pool has every collection counted.
 */
final class HeapPressure implements NotificationListener, AutoCloseable {

  private final double share;
  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toUnmodifiableSet());
  private final Set<String> oldPools =
      heapPools.stream()
          .filter(name -> name.contains("Old Gen") || name.contains("Tenured"))
          .collect(Collectors.toUnmodifiableSet());
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  static final int WINDOW = 8;

  private final long[] recent = new long[WINDOW];
  private int collections;
  private volatile long usedAfterGc;

  private HeapPressure(double share) {
    this.share = share;
  }

  /** Starts listening to every collector of this JVM. */
  static HeapPressure watch(double share) {
    HeapPressure pressure = new HeapPressure(share);
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(pressure, null, null);
        pressure.emitters.add(emitter);
      }
    }
    return pressure;
  }

  /** Whether the heap after the last collection is above the share. */
  boolean high() {
    return maxHeap != Long.MAX_VALUE && usedAfterGc > share * maxHeap;
  }

  /**
   * How many collections have counted so far. Figures taken before snapshots were thinned say
   * nothing of the heap after, so a host thins again only once {@value #WINDOW} more have counted.
   */
  synchronized int collections() {
    return collections;
  }

  /** The heap in use after collections, in bytes (0 before the first), as estimated above. */
  long usedAfterGc() {
    return usedAfterGc;
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    Map<String, MemoryUsage> after = info.getGcInfo().getMemoryUsageAfterGc();
    if (!info.getGcAction().contains("major") && !freedOldSpace(info, after)) {
      return;
    }
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : after.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    record(used);
  }

  /** Whether the collection left less in the old generation than it found (or none is known). */
  private boolean freedOldSpace(
      GarbageCollectionNotificationInfo info, Map<String, MemoryUsage> after) {
    if (oldPools.isEmpty()) {
      return true;
    }
    Map<String, MemoryUsage> before = info.getGcInfo().getMemoryUsageBeforeGc();
    for (String pool : oldPools) {
      MemoryUsage was = before.get(pool);
      MemoryUsage is = after.get(pool);
      if (was != null && is != null && is.getUsed() < was.getUsed()) {
        return true;
      }
    }
    return false;
  }

  private synchronized void record(long used) {
    recent[collections++ % WINDOW] = used;
    long smallest = Long.MAX_VALUE;
    for (int i = 0; i < Math.min(collections, WINDOW); i++) {
      smallest = Math.min(smallest, recent[i]);
    }
    usedAfterGc = smallest;
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException alreadyGone) {
        // nothing to undo
      }
    }
    emitters.clear();
  }
}
