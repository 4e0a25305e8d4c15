package io.aigw.core.log.file;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How a {@link FileEventLog} is laid out and how it commits. {@code segmentBytes} is the size at
 * which the writer starts a new segment (a single larger record still goes in whole).
 */
public record FileEventLogOptions(
    Path directory, long segmentBytes, FsyncPolicy fsync, Clock clock) {

  public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  public static final long MIN_SEGMENT_BYTES = 4096;

  public FileEventLogOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(fsync, "fsync");
    Objects.requireNonNull(clock, "clock");
    if (segmentBytes < MIN_SEGMENT_BYTES) {
      throw new IllegalArgumentException(
          "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
    }
  }

  /** 64 MiB segments, fsync on every commit, the system clock. */
  public static FileEventLogOptions of(Path directory) {
    return new FileEventLogOptions(
        directory, DEFAULT_SEGMENT_BYTES, FsyncPolicy.ALWAYS, Clock.systemUTC());
  }

  public FileEventLogOptions withSegmentBytes(long bytes) {
    return new FileEventLogOptions(directory, bytes, fsync, clock);
  }

  public FileEventLogOptions withFsync(FsyncPolicy policy) {
    return new FileEventLogOptions(directory, segmentBytes, policy, clock);
  }

  public FileEventLogOptions withClock(Clock newClock) {
    return new FileEventLogOptions(directory, segmentBytes, fsync, newClock);
  }
}
