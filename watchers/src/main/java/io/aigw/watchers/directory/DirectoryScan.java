package io.aigw.watchers.directory;

import io.aigw.core.event.LogEvent;
import java.util.List;

/**
 * The outcome of one pass over the directory: the events to append, in order ({@link
 * io.aigw.core.event.SourceError}s first, then UPSERTs in file order, then DELETEs in key order).
 * {@code initial} marks the first pass, which is always delivered, even when nothing changed, so a
 * subscriber knows the directory has been read once; later passes are delivered only when they have
 * events. {@code files} and {@code objects} count what the watcher now tracks.
 */
public record DirectoryScan(boolean initial, List<LogEvent> events, int files, int objects) {

  public DirectoryScan {
    events = List.copyOf(events);
  }
}
