package io.aigw.deploy.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.runtime.ProjectionHost;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster as the applier sees it, without informers: objects written go both into the fake API
 * server (so statuses can be written on them) and into the log as watch events with a server's uid,
 * resourceVersion and generation; a projection host folds the log.
 */
final class SimulatedCluster implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final InMemoryEventLog log = new InMemoryEventLog();
  final FakeApiServer api = new FakeApiServer();
  final ProjectionHost<GatewayState> host =
      new ProjectionHost<>(log, new GatewayProjection(), HostOptions.named("test"));
  private final LogPublisher publisher;
  private final Map<ObjectKey, WatchEvent> last = new HashMap<>();
  private final Map<ObjectKey, Integer> incarnations = new HashMap<>();
  private long resourceVersion = 1000;

  SimulatedCluster() throws Exception {
    publisher = LogPublisher.start(vertx, log);
    host.start(vertx).await(10, TimeUnit.SECONDS);
  }

  /** Writes every document of {@code yaml}; returns the seq of the last entry. */
  long upsert(String yaml) throws Exception {
    long seq = 0;
    for (YamlDocuments.Document document : YamlDocuments.parse(yaml)) {
      seq = upsert((ObjectNode) document.node());
    }
    return seq;
  }

  /**
   * Deletes and creates again every document of {@code yaml} while the watch was away: the log gets
   * only the new objects, with new uids, and the server holds them without any status.
   */
  long recreateUnobserved(String yaml) throws Exception {
    long seq = 0;
    for (YamlDocuments.Document document : YamlDocuments.parse(yaml)) {
      ObjectNode object = (ObjectNode) document.node();
      ObjectNode metadata = object.withObjectProperty("metadata");
      ObjectKey key =
          ObjectKey.of(
              object.path("apiVersion").asText(),
              object.path("kind").asText(),
              metadata.path("namespace").asText("default"),
              metadata.path("name").asText());
      last.remove(key);
      api.remove(key);
      incarnations.merge(key, 1, Integer::sum);
      seq = upsert(object);
    }
    return seq;
  }

  long delete(String apiVersion, String kind, String namespace, String name) throws Exception {
    ObjectKey key = ObjectKey.of(apiVersion, kind, namespace, name);
    WatchEvent was = last.remove(key);
    api.remove(key);
    WatchEvent deleted =
        new WatchEvent(
            was.source(),
            was.apiVersion(),
            was.kind(),
            was.namespace(),
            was.name(),
            was.uid(),
            Long.toString(++resourceVersion),
            was.generation(),
            EventType.DELETE,
            was.objectJson());
    return append(deleted);
  }

  private long upsert(ObjectNode object) throws Exception {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    ObjectNode metadata = object.withObjectProperty("metadata");
    String namespace = metadata.path("namespace").asText("default");
    metadata.put("namespace", namespace);
    ObjectKey key = ObjectKey.of(apiVersion, kind, namespace, metadata.path("name").asText());
    WatchEvent before = last.get(key);
    int incarnation = incarnations.getOrDefault(key, 0);
    String uid =
        before != null
            ? before.uid()
            : "uid-" + key.kind() + "-" + key.name() + (incarnation == 0 ? "" : "-" + incarnation);
    long generation = generation(before, object);
    metadata.put("uid", uid);
    metadata.put("generation", generation);
    metadata.put("resourceVersion", Long.toString(++resourceVersion));
    // a spec update leaves the status the controller wrote
    api.object(key)
        .map(live -> live.get("status"))
        .ifPresent(status -> object.set("status", status));
    api.put(key, object);
    WatchEvent event =
        new WatchEvent(
            "k8s:test",
            apiVersion,
            kind,
            namespace,
            key.name(),
            uid,
            Long.toString(resourceVersion),
            generation,
            EventType.UPSERT,
            CanonicalJson.write(object));
    last.put(key, event);
    return append(event);
  }

  private static long generation(WatchEvent before, ObjectNode object) {
    if (before == null) {
      return 1;
    }
    JsonNode previous = CanonicalJson.read(before.objectJson());
    boolean specChanged = !previous.path("spec").equals(object.path("spec"));
    return before.generation() + (specChanged ? 1 : 0);
  }

  private long append(WatchEvent event) throws Exception {
    LogEntry entry = log.append(event).get(5, TimeUnit.SECONDS);
    return entry.seq();
  }

  List<ObjectKey> owned() {
    return api.keys().stream()
        .filter(key -> ResourceType.OWNED.stream().anyMatch(t -> t.matches(key)))
        .toList();
  }

  @Override
  public void close() throws Exception {
    host.close().await(5, TimeUnit.SECONDS);
    publisher.close();
    api.close();
    log.close();
    vertx.close().await(5, TimeUnit.SECONDS);
  }
}
