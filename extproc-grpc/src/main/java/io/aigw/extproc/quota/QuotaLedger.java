package io.aigw.extproc.quota;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The token counters of the quota buckets, shared by every stream of one ExtProc and kept across
 * config reloads, so a bucket counts on when its QuotaPolicy changes. A counter belongs to one
 * window of the wall clock; the next window starts from zero. Thread-safe.
 */
public final class QuotaLedger {

  /**
   * Counters held at most. A {@code Distinct} header gives every value a bucket, so a client that
   * invents values must not grow the ledger without bound: past this many, a new bucket is not
   * counted until windows that ended are swept.
   */
  public static final int DEFAULT_CAPACITY = 100_000;

  private final int capacity;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  private record Counter(long start, long end, long used) {}

  public QuotaLedger() {
    this(DEFAULT_CAPACITY);
  }

  public QuotaLedger(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /** Tokens drawn from {@code bucket} in its window that starts at {@code start}. */
  public long used(String bucket, long start) {
    Counter counter = counters.get(bucket);
    return counter == null || counter.start() != start ? 0 : counter.used();
  }

  /**
   * Draws {@code amount} from {@code bucket} in the window {@code [start, end)}. A draw for a
   * window a later one has replaced is dropped (a response that ended after its window did).
   *
   * @return false when the ledger is full and the bucket was not counted
   */
  public boolean draw(String bucket, long start, long end, long amount) {
    if (counters.size() >= capacity && !counters.containsKey(bucket)) {
      counters.values().removeIf(counter -> counter.end() <= start);
      if (counters.size() >= capacity) {
        return false;
      }
    }
    counters.compute(
        bucket,
        (key, counter) -> {
          if (counter == null || counter.start() < start) {
            return new Counter(start, end, amount);
          }
          if (counter.start() > start) {
            return counter;
          }
          long sum = counter.used() + amount;
          return new Counter(start, end, sum < 0 ? Long.MAX_VALUE : sum);
        });
    return true;
  }

  /** The buckets counted, for diagnostics and tests. */
  public int size() {
    return counters.size();
  }
}
