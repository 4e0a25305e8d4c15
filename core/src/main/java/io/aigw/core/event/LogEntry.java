package io.aigw.core.event;

import java.time.Instant;
import java.util.Objects;

/**
 * A committed log entry. {@code seq} starts at 1 and has no gaps; {@code recordedAt} is the time
 * the log accepted the event (informational only: no fold reads it).
 */
public record LogEntry(long seq, Instant recordedAt, LogEvent event) {

  public LogEntry {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1, got " + seq);
    }
    Objects.requireNonNull(recordedAt, "recordedAt");
    Objects.requireNonNull(event, "event");
  }
}
