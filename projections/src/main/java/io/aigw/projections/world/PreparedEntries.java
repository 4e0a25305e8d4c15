package io.aigw.projections.world;

import io.aigw.core.event.WatchEvent;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What a fold prepared ahead (on a host's reading thread), by seq, for the fold to take when it
 * reaches the entry: the world's JSON check, the gateway's parsed objects. A fixed ring: it holds
 * at most {@link #SLOTS} prepared objects whatever the caller does, and an entry prepared so far
 * ahead that its slot is reused is simply prepared again inline. A slot is only taken by the very
 * event instance it was prepared for, so entries of another log, or of a replay from an older seq,
 * never pick up an object that is not theirs.
 */
public final class PreparedEntries<T> {

  /** More than a replay reads ahead (four batches of 4,096). */
  public static final int SLOTS = 1 << 15;

  private record Slot<T>(WatchEvent event, T prepared) {}

  private final AtomicReferenceArray<Slot<T>> slots = new AtomicReferenceArray<>(SLOTS);

  public void put(long seq, WatchEvent event, T prepared) {
    slots.set(index(seq), new Slot<>(event, prepared));
  }

  /** The object prepared for {@code event}, once; null when none was (or it was overwritten). */
  public T take(long seq, WatchEvent event) {
    int index = index(seq);
    Slot<T> slot = slots.get(index);
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
