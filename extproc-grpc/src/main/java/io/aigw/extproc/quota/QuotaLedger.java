package io.aigw.extproc.quota;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The token counters of the quota buckets, shared by every stream of one ExtProc and kept across
 * config reloads, so a bucket counts on when its QuotaPolicy changes. A counter belongs to one
 * window of the wall clock; the next window starts from zero. Thread-safe.
 */
public final class QuotaLedger {

  /**
   * Counters held before the bounded ones are refused. A {@code Distinct} header gives every value
   * a bucket, so a client that invents values must not grow the ledger without bound; the buckets a
   * config names are few and always counted.
   */
  public static final int DEFAULT_CAPACITY = 100_000;

  private static final long SWEEP_EVERY_MILLIS = 1_000;

  private final int capacity;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  // far enough in the past that the first sweep runs, near enough that now - lastSweep is exact
  private volatile long lastSweep = Long.MIN_VALUE / 2;

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

  /** Whether a draw from {@code bucket} would be counted: it has a counter, or there is room. */
  public boolean counts(String bucket) {
    return counters.size() < capacity || counters.containsKey(bucket);
  }

  /** Tokens drawn from {@code bucket} in its window that starts at {@code start}. */
  public long used(String bucket, long start) {
    Counter counter = counters.get(bucket);
    return counter == null || counter.start() != start ? 0 : counter.used();
  }

  /**
   * Draws {@code amount} from {@code bucket} in the window {@code [start, end)}; a counter of an
   * earlier window starts afresh.
   *
   * @param bounded whether the bucket is one of many a client can make ({@code Distinct}): it is
   *     not counted while the ledger is full
   * @param now wall-clock milliseconds, to sweep counters whose windows have ended
   * @return false when the bucket was not counted
   */
  public boolean draw(String bucket, long start, long end, long amount, boolean bounded, long now) {
    if (bounded && counters.size() >= capacity && !counters.containsKey(bucket)) {
      sweep(now);
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

  /** Removes the counters whose windows ended, at most once a second: it walks them all. */
  private void sweep(long now) {
    if (now - lastSweep < SWEEP_EVERY_MILLIS) {
      return;
    }
    lastSweep = now;
    counters.values().removeIf(counter -> counter.end() <= now);
  }

  /** The buckets counted, for diagnostics and tests. */
  public int size() {
    return counters.size();
  }
}
