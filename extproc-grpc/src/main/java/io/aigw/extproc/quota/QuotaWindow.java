package io.aigw.extproc.quota;

/**
 * The windows of QuotaPolicy budgets: one second, minute, hour or day, aligned to the wall clock as
 * the rate-limit service upstream relies on aligns them (a budget of {@code 1h} starts afresh on
 * every hour).
 */
public final class QuotaWindow {

  private QuotaWindow() {}

  /**
   * The length of {@code duration} in milliseconds.
   *
   * @throws IllegalArgumentException for anything but {@code 1s}, {@code 1m}, {@code 1h}, {@code
   *     1d}
   */
  public static long millisOf(String duration) {
    return switch (duration) {
      case "1s" -> 1_000L;
      case "1m" -> 60_000L;
      case "1h" -> 3_600_000L;
      case "1d" -> 86_400_000L;
      default ->
          throw new IllegalArgumentException(
              "duration \"" + duration + "\" is none of 1s, 1m, 1h, 1d");
    };
  }

  /** The start of the window of {@code length} milliseconds that holds {@code now}. */
  public static long startOf(long now, long length) {
    return now - Math.floorMod(now, length);
  }
}
