package io.aigw.projections.gateway;

import io.aigw.core.event.WatchEvent;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Objects prepared ahead of the fold, by seq, for the fold to take when it reaches their entry. A
 * fixed ring: it holds at most {@link #SLOTS} prepared objects whatever the caller does, and an
 * entry prepared so far ahead that its slot is reused is simply prepared again inline. A slot is
 * only taken by the very event instance it was prepared for, so entries of another log, or of a
 * replay from an older seq, never pick up an object that is not theirs.
 */
final class PreparedEntries {

  /** More than a replay reads ahead (four batches of 4,096). */
  static final int SLOTS = 1 << 15;

  private record Slot(WatchEvent event, Prepared prepared) {}

  private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SLOTS);

  void put(long seq, WatchEvent event, Prepared prepared) {
    slots.set(index(seq), new Slot(event, prepared));
  }

  /** The object prepared for {@code event}, once; null when none was (or it was overwritten). */
  Prepared take(long seq, WatchEvent event) {
    int index = index(seq);
    Slot slot = slots.get(index);
    if (slot == null || slot.event() != event) {
      return null;
    }
    slots.compareAndSet(index, slot, null);
    return slot.prepared();
  }

  private static int index(long seq) {
    return (int) (seq & (SLOTS - 1));
  }
}
