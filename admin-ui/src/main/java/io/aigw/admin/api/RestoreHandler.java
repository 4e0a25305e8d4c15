package io.aigw.admin.api;

import io.aigw.admin.history.LogIndex;
import io.aigw.admin.view.SecretRedaction;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.EventLog;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/restore} with {@code kind, namespace, name, seq} (and {@code group} when a kind
 * exists in two groups): finds the version of the object in effect at seq and hands it to the
 * {@link RestoreTarget}, which writes it back to the source. Nothing is appended here: the source's
 * watch path records the change, so the log stays append-only and the restore shows up in the
 * timeline as the edit it is. Secrets cannot be restored: the log holds digests, not values.
 */
public final class RestoreHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RestoreHandler.class);

  private final Vertx vertx;
  private final EventLog log;
  private final LogIndex index;
  private final EntryReader reader;
  private final RestoreTarget target;
  private final AtomicBoolean running = new AtomicBoolean();

  public RestoreHandler(Vertx vertx, EventLog log, LogIndex index, RestoreTarget target) {
    this.vertx = vertx;
    this.log = log;
    this.index = index;
    this.reader = new EntryReader(log, index);
    this.target = target;
  }

  /** What was restored, from which entry, where it was written, and the log's seq at the time. */
  public record RestoreResult(
      String group,
      String kind,
      String namespace,
      String name,
      long seq,
      long versionSeq,
      boolean changed,
      String target,
      String message,
      long latestSeq) {}

  public void restore(RoutingContext ctx) {
    JsonObject body = RequestBodies.json(ctx, Set.of("kind", "namespace", "name", "seq", "group"));
    String kind = required(body, "kind");
    String name = required(body, "name");
    String namespace = Optional.ofNullable(RequestBodies.text(body, "namespace")).orElse("");
    Optional<String> group = Optional.ofNullable(RequestBodies.text(body, "group"));
    Long seq = RequestBodies.seq(body, "seq");
    if (seq == null) {
      throw ApiException.badRequest("seq is required");
    }
    if (seq > index.latestSeq()) {
      throw ApiException.notFound(
          "no seq " + seq + " in the log (latest " + index.latestSeq() + ")");
    }
    ObjectKey key = HistoryHandler.resolve(index, group, kind, namespace, name);
    if (key.kind().equals(LogIndex.SOURCE_ERROR_KIND) && key.group().isEmpty()) {
      throw ApiException.badRequest("a source error is not an object and cannot be restored");
    }
    if (SecretRedaction.isSecret(key)) {
      throw ApiException.badRequest(
          "a Secret cannot be restored: the log holds a digest of each value, never the value");
    }
    OptionalLong version = index.versionAt(key, seq);
    if (version.isEmpty()) {
      throw ApiException.notFound(key + " did not exist yet at seq " + seq);
    }
    if (!running.compareAndSet(false, true)) {
      throw new ApiException(409, "a restore is already running");
    }
    long versionSeq = version.getAsLong();
    vertx
        .executeBlocking(() -> restore(key, seq, versionSeq), false)
        .onComplete(
            result -> {
              running.set(false);
              LogHandler.respond(ctx, result);
            });
  }

  private RestoreResult restore(ObjectKey key, long seq, long versionSeq) throws Exception {
    LogEntry entry =
        reader
            .read(versionSeq)
            .orElseThrow(() -> ApiException.notFound("no entry with seq " + versionSeq));
    if (!(entry.event() instanceof WatchEvent event)) {
      throw ApiException.badRequest("seq " + versionSeq + " is not a version of an object");
    }
    if (event.type() == EventType.DELETE) {
      throw ApiException.notFound(
          key + " did not exist at seq " + seq + " (deleted at seq " + versionSeq + ")");
    }
    RestoredObject object =
        new RestoredObject(
            key, event.apiVersion(), CanonicalJson.read(event.objectJson()), versionSeq);
    RestoreOutcome outcome;
    try {
      outcome = target.restore(object);
    } catch (RestoreException e) {
      int status =
          switch (e.reason()) {
            case UNSUPPORTED -> 501;
            case NOT_RESTORABLE -> 400;
            case CONFLICT -> 409;
            case FAILED -> 500;
          };
      LOG.atWarn()
          .addKeyValue("key", key)
          .addKeyValue("seq", seq)
          .log("restore failed: {}", e.getMessage());
      throw new ApiException(status, e.getMessage());
    }
    LOG.atInfo()
        .addKeyValue("key", key)
        .addKeyValue("versionSeq", versionSeq)
        .addKeyValue("changed", outcome.changed())
        .log("restored {} as of seq {} to {}", key, seq, outcome.target());
    return new RestoreResult(
        key.group(),
        key.kind(),
        key.namespace(),
        key.name(),
        seq,
        versionSeq,
        outcome.changed(),
        outcome.target(),
        outcome.message(),
        log.latestSeq());
  }

  private static String required(JsonObject body, String field) {
    String value = RequestBodies.text(body, field);
    if (value == null || value.isEmpty()) {
      throw ApiException.badRequest(field + " is required");
    }
    return value;
  }
}
