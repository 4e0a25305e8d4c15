package io.aigw.extproc.quota;

import java.util.Map;

/**
 * The windows of QuotaPolicy budgets: one second, minute, hour or day, aligned to the wall clock as
 * the rate-limit service upstream relies on aligns them (a budget of {@code 1h} starts afresh on
 * every hour).
 */
public final class QuotaWindow {

  private static final Map<String, Long> LENGTHS =
      Map.of("1s", 1_000L, "1m", 60_000L, "1h", 3_600_000L, "1d", 86_400_000L);

  private QuotaWindow() {}

  /**
   * The length of {@code duration} in milliseconds.
   *
   * @throws IllegalArgumentException for anything but {@code 1s}, {@code 1m}, {@code 1h}, {@code
   *     1d}
   */
  public static long millisOf(String duration) {
    Long length = LENGTHS.get(duration);
    if (length == null) {
      throw new IllegalArgumentException("duration \"" + duration + "\" is none of 1s, 1m, 1h, 1d");
    }
    return length;
  }

  /** The duration {@code length} milliseconds is written as ({@link #millisOf}'s inverse). */
  public static String nameOf(long length) {
    return LENGTHS.entrySet().stream()
        .filter(entry -> entry.getValue() == length)
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(length + "ms");
  }

  /** The start of the window of {@code length} milliseconds that holds {@code now}. */
  public static long startOf(long now, long length) {
    return now - Math.floorMod(now, length);
  }
}
