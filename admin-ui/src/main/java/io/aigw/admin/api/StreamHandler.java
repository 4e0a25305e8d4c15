package io.aigw.admin.api;

import io.aigw.admin.history.LogFilter;
import io.aigw.admin.history.LogIndex;
import io.aigw.admin.view.ApiJson;
import io.aigw.core.event.LogEntry;
import io.aigw.core.log.EventLog;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/stream}: server-sent events, one {@code entry} event per new log entry (its
 * timeline line as data, its seq as the event id), optionally filtered like {@code /api/log}. A
 * client resumes with {@code Last-Event-ID} or {@code ?from=SEQ} (entries after it are sent first).
 * Each client pulls at its own pace: new entries only wake it up, it sends what it has not sent
 * from the index's recent entries or the log, and stops writing while its connection is full, so a
 * slow client never holds anything but its own cursor.
 */
public final class StreamHandler {

  public static final int MAX_CLIENTS = 64;

  /** Streams one token may hold: a few dashboards, never every slot. */
  public static final int MAX_CLIENTS_PER_TOKEN = 16;

  static final long HEARTBEAT_MILLIS = 15_000;
  static final int READ_BATCH = 256;

  private final Vertx vertx;
  private final LogIndex index;
  private final EventLog log;
  private final EntryReader reader;
  private final Set<Client> clients = ConcurrentHashMap.newKeySet();

  public StreamHandler(Vertx vertx, EventLog log, LogIndex index) {
    this.vertx = vertx;
    this.log = log;
    this.index = index;
    this.reader = new EntryReader(log, index);
  }

  /** How many clients are connected. */
  public int clients() {
    return clients.size();
  }

  /** Wakes every client: the index has new entries. Safe from any thread. */
  public void entriesAdded() {
    for (Client client : clients) {
      client.wake();
    }
  }

  /**
   * Streams to {@code ctx}'s client; {@code holder} identifies its token, for the per-token cap.
   */
  public void stream(RoutingContext ctx, String holder) {
    LogFilter filter = LogHandler.filter(ctx);
    Optional<Long> from = ApiParams.seq(ctx, "from");
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    long after =
        lastEventId != null && !lastEventId.isBlank()
            ? ApiParams.parseSeq("Last-Event-ID", lastEventId.strip())
            : from.orElse(index.latestSeq());
    // as every other endpoint: a stream after a seq the log has not got would wait in silence
    // (a log cut back after damage starts again below what a client saw)
    // the log's latest, not the index's: the index follows the log a moment behind, and a seq
    // another answer just named must not be refused
    long latest = Math.max(log.latestSeq(), index.latestSeq());
    if (from.isPresent() && lastEventId == null && from.get() > latest) {
      throw ApiException.notFound("no seq " + from.get() + " in the log (latest " + latest + ")");
    }
    if (clients.size() >= MAX_CLIENTS) {
      throw new ApiException(503, "too many stream clients (" + MAX_CLIENTS + ")");
    }
    // so that one token, read-only ones too, cannot take every slot from the others
    if (clients.stream().filter(c -> c.holder.equals(holder)).count() >= MAX_CLIENTS_PER_TOKEN) {
      throw new ApiException(
          429, "too many streams for this token (" + MAX_CLIENTS_PER_TOKEN + ")");
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no");
    response.write("retry: 2000\n: aigw log stream from seq " + (after + 1) + "\n\n");
    Client client = new Client(vertx.getOrCreateContext(), response, filter, after, holder);
    clients.add(client);
    long heartbeat = vertx.setPeriodic(HEARTBEAT_MILLIS, id -> client.write(": keepalive\n\n"));
    response.closeHandler(
        ignored -> {
          clients.remove(client);
          vertx.cancelTimer(heartbeat);
        });
    client.wake();
  }

  /** One connected client and the seq it has sent up to; confined to its context. */
  private final class Client {
    private final Context context;
    private final HttpServerResponse response;
    private final LogFilter filter;
    private final String holder;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private long sent;
    private boolean reading;

    Client(
        Context context, HttpServerResponse response, LogFilter filter, long after, String holder) {
      this.context = context;
      this.response = response;
      this.filter = filter;
      this.sent = after;
      this.holder = holder;
    }

    void wake() {
      if (scheduled.compareAndSet(false, true)) {
        context.runOnContext(
            ignored -> {
              scheduled.set(false);
              pump();
            });
      }
    }

    private void pump() {
      while (!reading && !response.closed() && sent < index.latestSeq()) {
        if (response.writeQueueFull()) {
          response.drainHandler(ignored -> pump());
          return;
        }
        long next = sent + 1;
        Optional<LogEntry> recent = index.recent(next);
        if (recent.isPresent()) {
          send(recent.get());
        } else {
          readFrom(next);
        }
      }
    }

    private void readFrom(long next) {
      reading = true;
      vertx
          .executeBlocking(() -> reader.read(readRange(next)), false)
          .onComplete(
              result -> {
                reading = false;
                if (result.failed()) {
                  response.reset();
                  return;
                }
                for (LogEntry entry : result.result()) {
                  if (entry.seq() == sent + 1) {
                    send(entry);
                  }
                }
                pump();
              });
    }

    private List<Long> readRange(long next) {
      long last = Math.min(index.latestSeq(), next + READ_BATCH - 1);
      return java.util.stream.LongStream.rangeClosed(next, last).boxed().toList();
    }

    private void send(LogEntry entry) {
      sent = entry.seq();
      if (filter.matches(LogIndex.keyOf(entry))) {
        String data = new String(ApiJson.bytes(reader.summary(entry)), StandardCharsets.UTF_8);
        write("id: " + entry.seq() + "\nevent: entry\ndata: " + data + "\n\n");
      }
    }

    void write(String text) {
      if (!response.closed()) {
        response.write(Buffer.buffer(text));
      }
    }
  }
}
