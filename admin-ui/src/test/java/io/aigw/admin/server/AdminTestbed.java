package io.aigw.admin.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.admin.api.RestoreOutcome;
import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.api.RestoredObject;
import io.aigw.admin.tls.TlsFiles;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.log.LogPublisher;
import io.aigw.core.log.memory.InMemoryEventLog;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.projections.gateway.GatewayState;
import io.aigw.projections.runtime.HostOptions;
import io.aigw.projections.runtime.ProjectionHost;
import io.aigw.projections.snapshot.SnapshotPolicy;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * An admin server over an in-memory log and a live gateway projection, with objects written the way
 * the directory watcher records them (Secrets as digests). Tokens: {@link #ADMIN} and {@link
 * #READER}.
 */
final class AdminTestbed implements AutoCloseable {

  static final String ADMIN = "admin-token-0123456789";
  static final String READER = "reader-token-0123456789";
  static final String AI = "aigateway.envoyproxy.io/v1beta1";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  final Vertx vertx;
  final InMemoryEventLog log =
      new InMemoryEventLog(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));
  final ProjectionHost<GatewayState> host;
  final List<RestoredObject> restored = new CopyOnWriteArrayList<>();
  private final LogPublisher publisher;
  AdminServer server;
  private int resourceVersion;

  AdminTestbed(Vertx vertx) {
    this(vertx, SnapshotPolicy.DEFAULT);
  }

  AdminTestbed(Vertx vertx, SnapshotPolicy snapshots) {
    this.vertx = vertx;
    this.publisher = LogPublisher.start(vertx, log);
    this.host =
        new ProjectionHost<>(
            log, new GatewayProjection(), HostOptions.named("gateway").withSnapshots(snapshots));
  }

  AdminTestbed start() {
    return start(Optional.empty());
  }

  /** Starts the server, with HTTPS when {@code tls} gives the files. */
  AdminTestbed start(Optional<TlsFiles> tls) {
    host.start(vertx)
        .toCompletionStage()
        .toCompletableFuture()
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    RestoreTarget target =
        object -> {
          restored.add(object);
          return new RestoreOutcome(true, "test target", "written back");
        };
    server =
        AdminServer.start(
                vertx,
                new AdminOptions(
                    "127.0.0.1",
                    0,
                    AdminTokens.of(Map.of(ADMIN, Role.ADMIN, READER, Role.READ_ONLY)),
                    tls),
                new AdminSources(
                    log, host, new GatewayProjection(), target, () -> "# process metrics\n"))
            .toCompletionStage()
            .toCompletableFuture()
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
    awaitIndexed();
    return this;
  }

  int port() {
    return server.port();
  }

  /** Waits until the projection and the admin index have taken every appended entry. */
  void awaitIndexed() {
    long latest = log.latestSeq();
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> host.currentSeq() >= latest && server.index().latestSeq() >= latest);
  }

  LogEntry append(LogEvent event) {
    return log.append(event).join();
  }

  LogEntry upsert(ObjectNode object) {
    return append(event(object, EventType.UPSERT));
  }

  LogEntry delete(ObjectNode object) {
    return append(event(object, EventType.DELETE));
  }

  /**
   * A Secret, a backend and its policy, then {@code edits} edits of seven routes with backend
   * schema changes and route deletions in between: a history whose states differ from seq to seq.
   */
  void recordRouteHistory(int edits) {
    upsert(secret("key", "b".repeat(64)));
    upsert(backend("openai", "OpenAI"));
    upsert(policy("policy", "openai", "key"));
    for (int i = 0; i < edits; i++) {
      upsert(route("r" + (i % 7), "openai", "m" + i));
      if (i % 9 == 0) {
        upsert(backend("openai", i % 2 == 0 ? "AzureOpenAI" : "OpenAI"));
      }
      if (i % 13 == 0) {
        delete(route("r" + (i % 7), "openai", "m" + i));
      }
    }
  }

  LogEntry sourceError(String file, int line, String reason) {
    return append(new SourceError("dir:/test", file, line, reason));
  }

  private WatchEvent event(ObjectNode object, EventType type) {
    ObjectNode copy = object.deepCopy();
    ObjectNode metadata = (ObjectNode) copy.get("metadata");
    String version = Integer.toString(++resourceVersion);
    metadata.put("resourceVersion", version);
    metadata.put("uid", "uid-" + metadata.get("name").asText());
    return new WatchEvent(
        "dir:/test",
        copy.get("apiVersion").asText(),
        copy.get("kind").asText(),
        metadata.path("namespace").asText(""),
        metadata.get("name").asText(),
        "uid-" + metadata.get("name").asText(),
        version,
        1,
        type,
        CanonicalJson.write(copy));
  }

  static ObjectNode route(String name, String backend, String model) {
    ObjectNode spec = JSON.objectNode();
    spec.putArray("parentRefs")
        .addObject()
        .put("name", "gw")
        .put("kind", "Gateway")
        .put("group", "gateway.networking.k8s.io");
    var rule = spec.putArray("rules").addObject();
    rule.putArray("matches")
        .addObject()
        .putArray("headers")
        .addObject()
        .put("type", "Exact")
        .put("name", "x-ai-eg-model")
        .put("value", model);
    rule.putArray("backendRefs").addObject().put("name", backend);
    return object(AI, "AIGatewayRoute", name, spec);
  }

  static ObjectNode backend(String name, String schema) {
    ObjectNode spec = JSON.objectNode();
    spec.putObject("schema").put("name", schema);
    spec.putObject("backendRef")
        .put("name", name)
        .put("kind", "Backend")
        .put("group", "gateway.envoyproxy.io");
    return object(AI, "AIServiceBackend", name, spec);
  }

  static ObjectNode policy(String name, String backend, String secret) {
    ObjectNode spec = JSON.objectNode().put("type", "APIKey");
    spec.putArray("targetRefs")
        .addObject()
        .put("group", "aigateway.envoyproxy.io")
        .put("kind", "AIServiceBackend")
        .put("name", backend);
    spec.putObject("apiKey").putObject("secretRef").put("name", secret);
    return object(AI, "BackendSecurityPolicy", name, spec);
  }

  /** A Secret as a source records it: a digest per key, never the value. */
  static ObjectNode secret(String name, String digestHex) {
    ObjectNode secret = object("v1", "Secret", name, null);
    secret.put("type", "Opaque").putObject("data").put("apiKey", "sha256:" + digestHex);
    return secret;
  }

  static ObjectNode object(String apiVersion, String kind, String name, ObjectNode spec) {
    ObjectNode object = JSON.objectNode().put("apiVersion", apiVersion).put("kind", kind);
    object.putObject("metadata").put("name", name).put("namespace", "default");
    if (spec != null) {
      object.set("spec", spec);
    }
    return object;
  }

  @Override
  public void close() {
    if (server != null) {
      server
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .orTimeout(10, TimeUnit.SECONDS)
          .join();
    }
    host.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
    publisher.close();
    log.close();
  }
}
