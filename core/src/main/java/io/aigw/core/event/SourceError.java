package io.aigw.core.event;

import java.util.Objects;

/**
 * A source could not be read: a YAML file that does not parse, an object without a name, … The
 * objects the file contributed before stay as they were; this entry only records why the latest
 * version of the file was not taken. {@code line} is 1-based, 0 when unknown.
 */
public record SourceError(String source, String file, int line, String reason) implements LogEvent {

  public SourceError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
  }
}
