package io.aigw.core.log;

import io.aigw.core.codec.LogEntryMessageCodec;
import io.aigw.core.event.LogEntry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * Publishes every committed entry on the event bus address {@value #ADDRESS}, in seq order. The log
 * calls it on its writer thread; it hands each entry to one Vert.x context, whose tasks run in the
 * order given, and publishes from there, so every consumer sees the entries in seq order. Locally
 * consumers receive the committed {@link LogEntry} object itself. A consumer that starts late or
 * sees a gap reads the missing entries from the log: see {@link LogTail}.
 */
public final class LogPublisher implements EventLog.CommitListener, AutoCloseable {

  /** The event bus address of committed entries. */
  public static final String ADDRESS = "aigw.log";

  private final EventBus bus;
  private final Context context;
  private volatile boolean closed;

  private LogPublisher(EventBus bus, Context context) {
    this.bus = bus;
    this.context = context;
  }

  /**
   * Registers the {@code LogEntry} codec and starts publishing what {@code log} commits from now
   * on. Publishing runs on the caller's context when called from one, else on a new event loop
   * context.
   */
  public static LogPublisher start(Vertx vertx, EventLog log) {
    LogEntryMessageCodec.registerOn(vertx.eventBus());
    LogPublisher publisher = new LogPublisher(vertx.eventBus(), vertx.getOrCreateContext());
    log.onCommit(publisher);
    return publisher;
  }

  @Override
  public void committed(LogEntry entry) {
    if (!closed) {
      context.runOnContext(ignored -> publish(entry));
    }
  }

  /** Stops publishing; entries committed later are not published (the log cannot unregister). */
  @Override
  public void close() {
    closed = true;
  }

  private void publish(LogEntry entry) {
    if (!closed) {
      bus.publish(ADDRESS, entry);
    }
  }
}
