package io.aigw.admin.history;

import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.RotationOutcome;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the admin API needs to find entries without reading the log: for every seq, the object it is
 * about and what happened to it; for every object, the seqs of its versions. Built by following the
 * log from seq 1, about 5 bytes per entry plus 8 per version, so a million entries cost some 13 MB.
 * Entries themselves stay in the log (the {@link #RECENT} latest are kept for the live stream).
 * Thread-safe: one follower adds, any thread reads.
 *
 * <p>A {@link SourceError} is indexed under the pseudo-key {@code SourceError <file>} so it can be
 * filtered like an object.
 */
public final class LogIndex {

  /** The kind under which source errors are indexed. */
  public static final String SOURCE_ERROR_KIND = "SourceError";

  /** How many of the latest entries are kept in memory. */
  public static final int RECENT = 1024;

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<ObjectKey, Integer> keyIds = new HashMap<>();
  private final List<ObjectKey> keys = new ArrayList<>();
  private final List<SeqList> versions = new ArrayList<>();
  private final LogEntry[] recent = new LogEntry[RECENT];
  private int[] keyOf = new int[1024];
  private byte[] typeOf = new byte[1024];
  private int size;

  /** The key under which {@code entry} is indexed. */
  public static ObjectKey keyOf(LogEntry entry) {
    if (entry.event() instanceof WatchEvent event) {
      return event.key();
    }
    if (entry.event() instanceof SourceError error) {
      return new ObjectKey("", SOURCE_ERROR_KIND, "", error.file());
    }
    if (entry.event() instanceof RotationOutcome rotation) {
      return rotation.key();
    }
    return ((ApplyOutcome) entry.event()).key();
  }

  /** The type of an entry: what happened to the object, or that its source failed. */
  public static EntryType typeOf(LogEntry entry) {
    if (entry.event() instanceof WatchEvent event) {
      return event.type() == EventType.UPSERT ? EntryType.UPSERT : EntryType.DELETE;
    }
    if (entry.event() instanceof RotationOutcome) {
      return EntryType.ROTATION;
    }
    return entry.event() instanceof SourceError ? EntryType.ERROR : EntryType.APPLIED;
  }

  /**
   * Adds the next entries. Entries already indexed are ignored; a gap is refused, so the index
   * never claims an entry it has not seen.
   */
  public void addAll(List<LogEntry> entries) {
    lock.writeLock().lock();
    try {
      for (LogEntry entry : entries) {
        addLocked(entry);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Adds the next entry; see {@link #addAll}. */
  public void add(LogEntry entry) {
    addAll(List.of(entry));
  }

  private void addLocked(LogEntry entry) {
    if (entry.seq() <= size) {
      return;
    }
    if (entry.seq() != size + 1L) {
      throw new IllegalArgumentException(
          "the index is at seq " + size + " and cannot take seq " + entry.seq());
    }
    if (size == keyOf.length) {
      keyOf = Arrays.copyOf(keyOf, size * 2);
      typeOf = Arrays.copyOf(typeOf, size * 2);
    }
    ObjectKey key = keyOf(entry);
    Integer id = keyIds.get(key);
    if (id == null) {
      id = keys.size();
      keyIds.put(key, id);
      keys.add(key);
      versions.add(new SeqList());
    }
    EntryType type = typeOf(entry);
    keyOf[size] = id;
    typeOf[size] = (byte) type.ordinal();
    if (type != EntryType.APPLIED && type != EntryType.ROTATION) {
      versions.get(id).add(entry.seq());
    }
    recent[(int) (entry.seq() % RECENT)] = entry;
    size++;
  }

  /** The seq of the last indexed entry, 0 when none. */
  public long latestSeq() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The entry {@code seq} when it is among the {@link #RECENT} latest indexed ones. */
  public Optional<LogEntry> recent(long seq) {
    lock.readLock().lock();
    try {
      if (seq < 1 || seq > size || seq <= size - RECENT) {
        return Optional.empty();
      }
      return Optional.of(recent[(int) (seq % RECENT)]);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The key the entry {@code seq} is about. */
  public Optional<ObjectKey> keyAt(long seq) {
    lock.readLock().lock();
    try {
      return seq < 1 || seq > size ? Optional.empty() : Optional.of(keys.get(keyOf[(int) seq - 1]));
    } finally {
      lock.readLock().unlock();
    }
  }

  /** What the entry {@code seq} did. */
  public Optional<EntryType> typeAt(long seq) {
    lock.readLock().lock();
    try {
      return seq < 1 || seq > size
          ? Optional.empty()
          : Optional.of(EntryType.values()[typeOf[(int) seq - 1]]);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The seq of the version of the same object before {@code seq}. */
  public OptionalLong previousVersion(long seq) {
    lock.readLock().lock();
    try {
      if (seq < 1 || seq > size) {
        return OptionalLong.empty();
      }
      return versions.get(keyOf[(int) seq - 1]).before(seq);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The seq of the version of the same object after {@code seq}. */
  public OptionalLong nextVersion(long seq) {
    lock.readLock().lock();
    try {
      if (seq < 1 || seq > size) {
        return OptionalLong.empty();
      }
      return versions.get(keyOf[(int) seq - 1]).after(seq);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The seq of the last entry about {@code key} at or before {@code atSeq}. */
  public OptionalLong versionAt(ObjectKey key, long atSeq) {
    lock.readLock().lock();
    try {
      Integer id = keyIds.get(key);
      return id == null ? OptionalLong.empty() : versions.get(id).before(atSeq + 1);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The seqs of every entry about {@code key}, in order. */
  public long[] versions(ObjectKey key) {
    lock.readLock().lock();
    try {
      Integer id = keyIds.get(key);
      return id == null ? new long[0] : versions.get(id).toArray();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Every indexed key the filter matches, in key order. */
  public List<ObjectKey> keys(LogFilter filter) {
    lock.readLock().lock();
    try {
      return keys.stream().filter(filter::matches).sorted().toList();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Up to {@code limit} seqs of entries the filter matches, starting at {@code fromSeq} (included)
   * and going up, or down when {@code descending}. {@code next} is where the following page starts,
   * empty when there is nothing more.
   */
  public SeqPage find(LogFilter filter, long fromSeq, boolean descending, int limit) {
    lock.readLock().lock();
    try {
      boolean[] matching = new boolean[keys.size()];
      for (int id = 0; id < matching.length; id++) {
        matching[id] = filter.matches(keys.get(id));
      }
      List<Long> seqs = new ArrayList<>(Math.min(limit, 1024));
      int step = descending ? -1 : 1;
      long seq = descending ? Math.min(fromSeq, size) : Math.max(fromSeq, 1);
      while (seq >= 1 && seq <= size && seqs.size() < limit) {
        if (matching[keyOf[(int) seq - 1]]) {
          seqs.add(seq);
        }
        seq += step;
      }
      boolean more = hasMatch(matching, seq, step);
      return new SeqPage(seqs, more ? OptionalLong.of(seq) : OptionalLong.empty(), size);
    } finally {
      lock.readLock().unlock();
    }
  }

  private boolean hasMatch(boolean[] matching, long from, int step) {
    for (long seq = from; seq >= 1 && seq <= size; seq += step) {
      if (matching[keyOf[(int) seq - 1]]) {
        return true;
      }
    }
    return false;
  }

  /** What an entry did to its object. */
  public enum EntryType {
    UPSERT,
    DELETE,
    ERROR,
    /** What the applier did to an object of the cluster: not a version of a source object. */
    APPLIED,
    /** How rotating a policy's credential went: not a version of the policy. */
    ROTATION
  }

  /** A page of seqs, the cursor of the next page and the index's latest seq at the time. */
  public record SeqPage(List<Long> seqs, OptionalLong next, long latestSeq) {
    public SeqPage {
      seqs = List.copyOf(seqs);
    }
  }

  /** The seqs of one object's versions: a growable sorted array. */
  private static final class SeqList {
    private long[] seqs = new long[2];
    private int size;

    void add(long seq) {
      if (size == seqs.length) {
        seqs = Arrays.copyOf(seqs, size * 2);
      }
      seqs[size++] = seq;
    }

    /** The greatest seq below {@code seq}. */
    OptionalLong before(long seq) {
      int at = Arrays.binarySearch(seqs, 0, size, seq);
      int index = (at >= 0 ? at : -at - 1) - 1;
      return index >= 0 ? OptionalLong.of(seqs[index]) : OptionalLong.empty();
    }

    /** The least seq above {@code seq}. */
    OptionalLong after(long seq) {
      int at = Arrays.binarySearch(seqs, 0, size, seq);
      int index = at >= 0 ? at + 1 : -at - 1;
      return index < size ? OptionalLong.of(seqs[index]) : OptionalLong.empty();
    }

    long[] toArray() {
      return Arrays.copyOf(seqs, size);
    }
  }
}
