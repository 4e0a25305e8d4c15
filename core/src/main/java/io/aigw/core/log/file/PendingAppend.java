package io.aigw.core.log.file;

import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import java.util.concurrent.CompletableFuture;

/** An append waiting for the writer: the event, its encoded form and the caller's future. */
record PendingAppend(LogEvent event, byte[] encodedEvent, CompletableFuture<LogEntry> future) {

  /** Queued last by {@code close()}: the writer commits what came before and stops. */
  static final PendingAppend CLOSE = new PendingAppend(null, null, null);
}
