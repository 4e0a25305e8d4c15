package io.aigw.core.log.file;

/**
 * What opening the file log found at the end of its data. {@code lastGoodSeq} is the seq of the
 * last entry kept (0 for an empty log); {@code droppedBytes} counts the bytes cut off a torn or
 * corrupt tail (including empty segment files removed); {@code reason} says what was wrong, or
 * {@link #CLEAN} when nothing was dropped.
 */
public record RecoveryReport(long lastGoodSeq, long droppedBytes, String reason) {

  public static final String CLEAN = "clean";

  /** True when recovery cut something off. */
  public boolean droppedAnything() {
    return droppedBytes > 0;
  }
}
