package io.aigw.admin.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.admin.history.LogFilter;
import io.aigw.admin.history.LogIndex;
import io.aigw.admin.view.EntrySummary;
import io.aigw.admin.view.EntryViews;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.EventLog;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /api/objects/{kind}/{namespace}/{name}/history}: every version of a source object, in
 * seq order, a page at a time; the index knows the seqs, so only those entries are read. The
 * namespace {@code _} stands for a cluster-scoped object.
 */
public final class HistoryHandler {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  public static final String CLUSTER_SCOPE = "_";

  private final Vertx vertx;
  private final LogIndex index;
  private final EntryReader reader;

  public HistoryHandler(Vertx vertx, EventLog log, LogIndex index) {
    this.vertx = vertx;
    this.index = index;
    this.reader = new EntryReader(log, index);
  }

  /** One version: its timeline line, the source's resourceVersion and generation, the object. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Version(
      EntrySummary entry, String resourceVersion, Long generation, JsonNode object) {}

  /** The object's identity, how many versions it has, this page of them and the next cursor. */
  public record History(
      String group,
      String kind,
      String namespace,
      String name,
      int total,
      List<Version> versions,
      Long next) {}

  public void history(RoutingContext ctx) {
    String kind = ctx.pathParam("kind");
    String pathNamespace = ctx.pathParam("namespace");
    String namespace = CLUSTER_SCOPE.equals(pathNamespace) ? "" : pathNamespace;
    String name = ctx.pathParam("name");
    ObjectKey key = resolve(index, ApiParams.text(ctx, "group"), kind, namespace, name);
    long from = ApiParams.seq(ctx, "from").orElse(0L);
    int limit = ApiParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
    boolean objects = ApiParams.flag(ctx, "objects", true);
    vertx
        .executeBlocking(() -> history(key, from, limit, objects), false)
        .onComplete(result -> LogHandler.respond(ctx, result));
  }

  /** The one indexed key with this kind, namespace and name (and group, when given). */
  static ObjectKey resolve(
      LogIndex index, Optional<String> group, String kind, String namespace, String name) {
    LogFilter filter = new LogFilter(Optional.of(kind), Optional.of(namespace), Optional.of(name));
    List<ObjectKey> keys =
        index.keys(filter).stream().filter(k -> group.map(k.group()::equals).orElse(true)).toList();
    String what = kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    if (keys.isEmpty()) {
      throw ApiException.notFound("the log has no object " + what);
    }
    if (keys.size() > 1) {
      throw ApiException.badRequest(what + " exists in more than one API group: give group=");
    }
    return keys.get(0);
  }

  /** A page of versions; their objects only when asked, since a page can hold a thousand. */
  private History history(ObjectKey key, long from, int limit, boolean objects) {
    long[] seqs = index.versions(key);
    List<Long> page = new ArrayList<>();
    Long next = null;
    for (long seq : seqs) {
      if (seq < from) {
        continue;
      }
      if (page.size() == limit) {
        next = seq;
        break;
      }
      page.add(seq);
    }
    List<Version> versions = new ArrayList<>();
    for (LogEntry entry : reader.read(page)) {
      WatchEvent event = entry.event() instanceof WatchEvent watch ? watch : null;
      versions.add(
          new Version(
              reader.summary(entry),
              event == null ? null : event.resourceVersion(),
              event == null ? null : event.generation(),
              objects ? EntryViews.object(entry).orElse(null) : null));
    }
    return new History(
        key.group(), key.kind(), key.namespace(), key.name(), seqs.length, versions, next);
  }
}
