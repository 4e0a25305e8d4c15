package io.aigw.core.log;

import io.aigw.core.codec.LogEntryMessageCodec;
import io.aigw.core.event.LogEntry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the log from a seq on: hands every committed entry after {@code afterSeq} to a handler
 * exactly once and in seq order, on one Vert.x context. It consumes {@value LogPublisher#ADDRESS}
 * (only its log's entries, by {@value LogPublisher#LOG_HEADER}), and whenever the next entry is
 * missing (at start, or when a message skips seqs) it reads the missing range from the log on a
 * worker thread, holding back the messages that arrive meanwhile. Duplicates are dropped. This is
 * how a projection host keeps up with the log without trusting the bus to be gap-free.
 */
public final class LogTail {

  private static final Logger LOG = LoggerFactory.getLogger(LogTail.class);
  private static final int READ_BATCH = 4096;
  private static final long RETRY_MILLIS = 100;

  private final Vertx vertx;
  private final EventLog log;
  private final Handler<LogEntry> handler;
  private final Context context;
  private final ArrayDeque<LogEntry> held = new ArrayDeque<>();
  private final Promise<Void> started = Promise.promise();
  private MessageConsumer<LogEntry> consumer;
  private volatile long lastSeq;
  private boolean reading;
  private boolean closed;

  private LogTail(Vertx vertx, EventLog log, long afterSeq, Handler<LogEntry> handler) {
    this.vertx = vertx;
    this.log = log;
    this.handler = handler;
    this.lastSeq = afterSeq;
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Starts following: entries {@code afterSeq + 1} onwards reach {@code handler} on the caller's
   * context (a new event loop context when called outside Vert.x).
   */
  public static LogTail follow(
      Vertx vertx, EventLog log, long afterSeq, Handler<LogEntry> handler) {
    LogEntryMessageCodec.registerOn(vertx.eventBus());
    LogTail tail = new LogTail(vertx, log, afterSeq, handler);
    tail.context.runOnContext(ignored -> tail.start());
    return tail;
  }

  /** The seq of the last entry handed to the handler. */
  public long lastSeq() {
    return lastSeq;
  }

  /** Completes once the tail listens to the bus (its catch-up read may still be running). */
  public Future<Void> started() {
    return started.future();
  }

  /** Stops following; no entry reaches the handler after the returned future completes. */
  public Future<Void> close() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        ignored -> {
          closed = true;
          held.clear();
          if (consumer == null) {
            done.complete();
          } else {
            consumer.unregister().onComplete(done);
          }
        });
    return done.future();
  }

  private void start() {
    if (closed) {
      started.complete();
      return;
    }
    String name = LogPublisher.nameOf(log);
    consumer =
        vertx
            .eventBus()
            .localConsumer(
                LogPublisher.ADDRESS,
                message -> {
                  // another log's entry in this Vert.x: its seqs mean nothing here
                  if (name.equals(message.headers().get(LogPublisher.LOG_HEADER))) {
                    offer(message.body());
                  }
                });
    started.complete();
    readMissing();
  }

  private void offer(LogEntry entry) {
    if (closed || entry.seq() <= lastSeq) {
      return;
    }
    if (reading) {
      held.add(entry);
    } else if (entry.seq() == lastSeq + 1) {
      deliver(entry);
    } else {
      held.add(entry);
      readMissing();
    }
  }

  private void readMissing() {
    reading = true;
    long from = lastSeq + 1;
    vertx
        .executeBlocking(() -> log.read(from, READ_BATCH), false)
        .onComplete(result -> afterRead(from, result));
  }

  private void afterRead(long from, AsyncResult<List<LogEntry>> result) {
    reading = false;
    if (closed) {
      return;
    }
    if (result.failed()) {
      LOG.atWarn().addKeyValue("fromSeq", from).setCause(result.cause()).log("log read failed");
      retryLater();
      return;
    }
    List<LogEntry> entries = result.result();
    for (LogEntry entry : entries) {
      if (entry.seq() == lastSeq + 1) {
        deliver(entry);
      }
    }
    if (entries.size() == READ_BATCH) {
      readMissing();
      return;
    }
    while (!reading && !held.isEmpty()) {
      LogEntry next = held.peek();
      if (next.seq() > lastSeq + 1 && entries.isEmpty()) {
        // The log does not have what the bus announced yet: do not spin on it.
        retryLater();
        return;
      }
      offer(held.poll());
    }
  }

  private void retryLater() {
    reading = true;
    vertx.setTimer(
        RETRY_MILLIS,
        id -> {
          reading = false;
          if (!closed) {
            readMissing();
          }
        });
  }

  private void deliver(LogEntry entry) {
    lastSeq = entry.seq();
    try {
      handler.handle(entry);
    } catch (RuntimeException e) {
      LOG.atError().addKeyValue("seq", entry.seq()).setCause(e).log("log tail handler failed");
    }
  }
}
