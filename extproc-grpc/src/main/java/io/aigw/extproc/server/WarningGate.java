package io.aigw.extproc.server;

import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a repeated warning through once per period per key, with the count of those held back since:
 * a backend without its credential refuses every request, and a line per request buried the rest of
 * the log. Keys come from the config (backend and reason), so they stay few.
 */
final class WarningGate {

  private final long periodNanos;
  private final Map<String, long[]> last = new ConcurrentHashMap<>();

  WarningGate(long periodNanos) {
    this.periodNanos = periodNanos;
  }

  /**
   * The number of warnings of {@code key} held back since the last one let through, when this one
   * may go through at {@code nowNanos}; empty when it is held back.
   */
  OptionalLong pass(String key, long nowNanos) {
    // [0] when the last one went through, [1] how many were held back since
    long[] state = last.computeIfAbsent(key, k -> new long[] {nowNanos - periodNanos, 0});
    synchronized (state) {
      if (nowNanos - state[0] < periodNanos) {
        state[1]++;
        return OptionalLong.empty();
      }
      long held = state[1];
      state[0] = nowNanos;
      state[1] = 0;
      return OptionalLong.of(held);
    }
  }
}
