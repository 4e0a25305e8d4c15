package io.aigw.core.log;

import io.aigw.core.codec.LogEntryMessageCodec;
import io.aigw.core.event.LogEntry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Publishes every committed entry on the event bus address {@value #ADDRESS}, in seq order. The log
 * calls it on its writer thread; it hands each entry to one Vert.x context, whose tasks run in the
 * order given, and publishes from there, so every consumer sees the entries in seq order. Locally
 * consumers receive the committed {@link LogEntry} object itself. A consumer that starts late or
 * sees a gap reads the missing entries from the log: see {@link LogTail}.
 *
 * <p>Each entry carries the header {@value #LOG_HEADER} naming the log it was committed to: one
 * Vert.x may hold several logs (two controllers in one JVM, as the controller tests run them), and
 * their seqs overlap, so a consumer must take only its own log's entries.
 */
public final class LogPublisher implements EventLog.CommitListener, AutoCloseable {

  /** The event bus address of committed entries. */
  public static final String ADDRESS = "aigw.log";

  /** The header naming the log an entry on {@value #ADDRESS} belongs to. */
  public static final String LOG_HEADER = "aigw-log";

  /** The name of each log in this JVM; weak, so a closed log is forgotten. */
  private static final Map<EventLog, String> NAMES = new WeakHashMap<>();

  private static long named;

  private final EventBus bus;
  private final Context context;
  private final DeliveryOptions delivery;
  private volatile boolean closed;

  private LogPublisher(EventBus bus, Context context, DeliveryOptions delivery) {
    this.bus = bus;
    this.context = context;
    this.delivery = delivery;
  }

  /** What {@code log}'s entries are published with: its {@value #LOG_HEADER}. */
  public static DeliveryOptions deliveryOf(EventLog log) {
    return new DeliveryOptions().addHeader(LOG_HEADER, nameOf(log));
  }

  /** The {@value #LOG_HEADER} of {@code log}'s entries: the same for the same instance. */
  public static String nameOf(EventLog log) {
    synchronized (NAMES) {
      return NAMES.computeIfAbsent(log, ignored -> "log-" + ++named);
    }
  }

  /**
   * Registers the {@code LogEntry} codec and starts publishing what {@code log} commits from now
   * on. Publishing runs on the caller's context when called from one, else on a new event loop
   * context.
   */
  public static LogPublisher start(Vertx vertx, EventLog log) {
    LogEntryMessageCodec.registerOn(vertx.eventBus());
    LogPublisher publisher =
        new LogPublisher(vertx.eventBus(), vertx.getOrCreateContext(), deliveryOf(log));
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
      bus.publish(ADDRESS, entry, delivery);
    }
  }
}
