package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.aigw.admin.api.RestoreTarget;
import io.aigw.admin.api.StreamHandler;
import io.aigw.admin.server.AdminOptions;
import io.aigw.admin.server.AdminServer;
import io.aigw.admin.server.AdminSources;
import io.aigw.admin.server.AdminTokens;
import io.aigw.admin.server.Role;
import io.aigw.admin.tls.SelfSignedPem;
import io.aigw.admin.tls.TlsFiles;
import io.aigw.core.event.EventType;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.projections.gateway.GatewayProjection;
import io.aigw.watchers.informer.WatchedKind;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin port of the controller against fabric8's CRUD mock server: the admin API through the
 * front that answers the controller's probes, and {@code POST /api/restore} putting an object back
 * into the API server, recorded by the informers as new log entries.
 */
class ControllerAdminIT {

  static final String ADMIN = "admin-token-0123456789";
  static final String READER = "reader-token-0123456789";

  /** Read-only tokens of four dashboards: one token may hold only so many streams. */
  static final List<String> DASHBOARDS =
      List.of(
          "dashboard-0-token-0123456789",
          "dashboard-1-token-0123456789",
          "dashboard-2-token-0123456789",
          "dashboard-3-token-0123456789");

  static final String ROUTE = KubernetesControllerIT.OPENAI_ROUTE;

  final HttpClient http = HttpClient.newHttpClient();
  ControllerHarness cluster;
  KubernetesController controller;
  ControllerAdminServer admin;

  @BeforeEach
  void start() throws Exception {
    cluster = new ControllerHarness("admin");
    cluster.apply(KubernetesControllerIT.examples().resolve("basic/openai.yaml"));
    cluster.apply(
        """
        apiVersion: gateway.networking.k8s.io/v1
        kind: Gateway
        metadata: {name: edge}
        spec:
          gatewayClassName: envoy-ai-gateway
          listeners: [{name: http, protocol: HTTP, port: 80}]
        """);
    controller = cluster.start("a", "replica-a");
    // settled before each test, so that none ends while the leader's first writes are in flight
    await().atMost(Duration.ofSeconds(20)).until(controller::isLeader);
    cluster.awaitConverged(controller);
    admin =
        ControllerAdminServer.start(
                cluster.vertx,
                controller,
                new AdminOptions("127.0.0.1", 0, AdminTokens.of(tokens())))
            .await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    if (admin != null) {
      admin.close().await(10, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  @Test
  void aDeletedRouteIsRestoredIntoTheApiServerAndRecordedAsANewEntry() throws Exception {
    ObjectKey key = key(WatchedKind.AI_GATEWAY_ROUTE, ROUTE);
    long versionSeq = lastSeqOf(key, EventType.UPSERT);
    String uid =
        cluster.get(WatchedKind.AI_GATEWAY_ROUTE, ROUTE).orElseThrow().at("/metadata/uid").asText();
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, ROUTE);
    await().atMost(Duration.ofSeconds(20)).until(() -> lastSeqOf(key, EventType.DELETE) > 0);
    long deletedAt = lastSeqOf(key, EventType.DELETE);

    HttpResponse<String> restored = restore(ADMIN, "AIGatewayRoute", ROUTE, versionSeq);

    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    JsonObject body = new JsonObject(restored.body());
    assertThat(body.getBoolean("changed")).isTrue();
    assertThat(body.getString("target")).isEqualTo("API server");
    var live = cluster.get(WatchedKind.AI_GATEWAY_ROUTE, ROUTE).orElseThrow();
    assertThat(live.at("/metadata/uid").asText()).isNotEqualTo(uid);
    assertThat(live.at("/spec/rules/0/backendRefs/0/name").asText()).isEqualTo(ROUTE);
    // the log stays append-only: the informer records the re-created route after the delete
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> lastSeqOf(key, EventType.UPSERT) > deletedAt);
    assertThat(controller.log().read(versionSeq, 1).get(0).event()).isInstanceOf(WatchEvent.class);
  }

  @Test
  void anEditedRouteIsPutBackAsItWasAndItsGeneratedRouteFollows() throws Exception {
    ObjectKey key = key(WatchedKind.AI_GATEWAY_ROUTE, ROUTE);
    long original = lastSeqOf(key, EventType.UPSERT);
    cluster.apply(
        Files.readString(KubernetesControllerIT.examples().resolve("basic/openai.yaml"))
            .replace("value: gpt-4o-mini", "value: gpt-edited"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lastSeqOf(key, EventType.UPSERT) > original);
    long edited = lastSeqOf(key, EventType.UPSERT);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(() -> cluster.owned().toString().contains("gpt-edited"));

    HttpResponse<String> restored = restore(ADMIN, "AIGatewayRoute", ROUTE, original);

    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    assertThat(new JsonObject(restored.body()).getBoolean("changed")).isTrue();
    assertThat(
            cluster
                .get(WatchedKind.AI_GATEWAY_ROUTE, ROUTE)
                .orElseThrow()
                .at("/spec/rules/0/matches/0/headers/0/value")
                .asText())
        .isEqualTo("gpt-4o-mini");
    await().atMost(Duration.ofSeconds(20)).until(() -> lastSeqOf(key, EventType.UPSERT) > edited);
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              String owned = cluster.owned().toString();
              return owned.contains("gpt-4o-mini") && !owned.contains("gpt-edited");
            });
  }

  @Test
  void theLiveStreamIsRelayedThroughTheAdminPort() throws Exception {
    long before = controller.log().latestSeq();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/stream"))
            .header("Authorization", "Bearer " + READER)
            .build();
    HttpResponse<Stream<String>> stream = http.send(request, HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).contains("event-stream");
    CompletableFuture<Long> next =
        CompletableFuture.supplyAsync(
            () ->
                stream
                    .body()
                    .filter(line -> line.startsWith("id: "))
                    .mapToLong(line -> Long.parseLong(line.substring(4).strip()))
                    .filter(seq -> seq > before)
                    .findFirst()
                    .orElse(-1));
    cluster.delete(WatchedKind.AI_SERVICE_BACKEND, ROUTE);

    assertThat(next.get(20, TimeUnit.SECONDS)).isGreaterThan(before);
    stream.body().close();
  }

  @Test
  void restoringTheVersionTheApiServerHoldsChangesNothing() throws Exception {
    long versionSeq = lastSeqOf(key(WatchedKind.AI_GATEWAY_ROUTE, ROUTE), EventType.UPSERT);
    long before = controller.log().latestSeq();

    HttpResponse<String> restored = restore(ADMIN, "AIGatewayRoute", ROUTE, versionSeq);

    assertThat(restored.statusCode()).as(restored.body()).isEqualTo(200);
    assertThat(new JsonObject(restored.body()).getBoolean("changed")).isFalse();
    assertThat(new JsonObject(restored.body()).getLong("latestSeq")).isGreaterThanOrEqualTo(before);
  }

  @Test
  void aReadOnlyTokenMayReadButNotRestore() throws Exception {
    long versionSeq = lastSeqOf(key(WatchedKind.AI_GATEWAY_ROUTE, ROUTE), EventType.UPSERT);

    assertThat(restore(READER, "AIGatewayRoute", ROUTE, versionSeq).statusCode()).isEqualTo(403);
    assertThat(get("/api/log?limit=5", READER).statusCode()).isEqualTo(200);
    assertThat(get("/api/log?limit=5", null).statusCode()).isEqualTo(401);
  }

  @Test
  void secretsAndKindsOutsideTheAiGatewayAreRefused() throws Exception {
    String secret = "envoy-ai-gateway-basic-openai-apikey";
    long secretSeq = lastSeqOf(key(WatchedKind.SECRET, secret), EventType.UPSERT);

    HttpResponse<String> refused = restore(ADMIN, "Secret", secret, secretSeq);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("Secret cannot be restored");
    assertThat(refused.body()).doesNotContain("OPENAI_API_KEY");
    long gatewaySeq = lastSeqOf(key(WatchedKind.GATEWAY, "edge"), EventType.UPSERT);
    HttpResponse<String> gateway = restore(ADMIN, "Gateway", "edge", gatewaySeq);
    assertThat(gateway.statusCode()).isEqualTo(400);
    assertThat(gateway.body()).contains("objects can be restored into the cluster, not Gateway");
  }

  @Test
  void theProbesAreTheControllersAndEverythingElseIsTheAdminServers() throws Exception {
    HttpResponse<String> ready = get("/readyz", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getBoolean("informersSynced")).isTrue();
    assertThat(get("/healthz", null).statusCode()).isEqualTo(200);
    assertThat(get("/status", null).body()).contains("\"latestSeq\"");
    HttpResponse<String> metrics = get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("aigw_controller_ready 1");
    HttpResponse<String> dashboard = get("/", null);
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.headers().firstValue("Content-Type").orElse("")).contains("text/html");
    assertThat(get("/api/whoami", ADMIN).body()).contains("admin");
  }

  @Test
  void withTlsFilesTheProbesAndTheApiAreServedOverHttps(@TempDir Path dir) throws Exception {
    SelfSignedPem pair = SelfSignedPem.create(dir, "controller");
    ControllerAdminServer https =
        ControllerAdminServer.start(
                cluster.vertx,
                controller,
                new AdminOptions(
                    "127.0.0.1",
                    0,
                    AdminTokens.of(tokens()),
                    Optional.of(
                        new TlsFiles(
                            pair.certificate(),
                            pair.key(),
                            "--admin-tls-cert",
                            "--admin-tls-key"))))
            .await(10, TimeUnit.SECONDS);
    try {
      HttpClient client = HttpClient.newBuilder().sslContext(pair.clientContext()).build();
      String base = "https://localhost:" + https.port();

      HttpResponse<String> ready =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> whoami =
          client.send(
              HttpRequest.newBuilder(URI.create(base + "/api/whoami"))
                  .header("Authorization", "Bearer " + READER)
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(ready.body()).getBoolean("informersSynced")).isTrue();
      assertThat(whoami.statusCode()).isEqualTo(200);
      assertThat(new JsonObject(whoami.body()).getString("role")).isEqualTo("read-only");
      // the port speaks TLS only
      HttpRequest plain =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + https.port() + "/healthz"))
              .timeout(Duration.ofSeconds(10))
              .build();
      assertThatThrownBy(() -> http.send(plain, HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(IOException.class);
    } finally {
      https.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void openLiveStreamsLeaveTheRestOfTheApiAnswering() throws Exception {
    HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<HttpResponse<Stream<String>>> streams = new ArrayList<>();
    try {
      List<CompletableFuture<HttpResponse<Stream<String>>>> opening = new ArrayList<>();
      for (int i = 0; i < StreamHandler.MAX_CLIENTS; i++) {
        opening.add(
            http1.sendAsync(
                streamRequest(DASHBOARDS.get(i % DASHBOARDS.size())),
                HttpResponse.BodyHandlers.ofLines()));
      }
      for (CompletableFuture<HttpResponse<Stream<String>>> open : opening) {
        streams.add(open.get(20, TimeUnit.SECONDS));
      }
      assertThat(streams).allSatisfy(stream -> assertThat(stream.statusCode()).isEqualTo(200));

      HttpResponse<String> whoami = get("/api/whoami", READER);
      assertThat(whoami.statusCode()).isEqualTo(200);
      assertThat(get("/api/log?limit=1", READER).statusCode()).isEqualTo(200);
      // one stream more than the admin server takes is refused, not left waiting
      HttpResponse<String> refused =
          http1.send(
              HttpRequest.newBuilder(streamRequest(READER).uri())
                  .timeout(Duration.ofSeconds(10))
                  .header("Authorization", "Bearer " + READER)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(503);
    } finally {
      streams.forEach(stream -> stream.body().close());
    }
  }

  @Test
  void aFrontThatCannotListenClosesTheAdminServerBehindIt() throws Exception {
    AdminServer behind =
        AdminServer.start(
                cluster.vertx,
                new AdminOptions("127.0.0.1", 0, AdminTokens.of(Map.of(ADMIN, Role.ADMIN))),
                new AdminSources(
                    controller.log(),
                    controller.host(),
                    new GatewayProjection(controller.options().extProc()),
                    RestoreTarget.UNSUPPORTED,
                    () -> ""))
            .await(10, TimeUnit.SECONDS);
    int behindPort = behind.port();
    new Socket(InetAddress.getLoopbackAddress(), behindPort).close();

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Future<ControllerAdminServer> front =
          ControllerAdminServer.front(
              cluster.vertx,
              behind,
              new ControllerProbes(controller),
              Duration.ofSeconds(30),
              new AdminOptions("127.0.0.1", taken.getLocalPort(), AdminTokens.of(tokens())));
      await().atMost(Duration.ofSeconds(10)).until(front::isComplete);
      assertThat(front.failed()).isTrue();
    }

    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), behindPort).close())
        .isInstanceOf(ConnectException.class);
  }

  private static Map<String, Role> tokens() {
    Map<String, Role> tokens = new java.util.HashMap<>();
    tokens.put(ADMIN, Role.ADMIN);
    tokens.put(READER, Role.READ_ONLY);
    DASHBOARDS.forEach(token -> tokens.put(token, Role.READ_ONLY));
    return tokens;
  }

  private HttpRequest streamRequest(String token) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/stream"))
        .header("Authorization", "Bearer " + token)
        .build();
  }

  private long lastSeqOf(ObjectKey key, EventType type) {
    long seq = 0;
    for (LogEntry entry : controller.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof WatchEvent event
          && event.key().equals(key)
          && event.type() == type) {
        seq = entry.seq();
      }
    }
    return seq;
  }

  private HttpResponse<String> restore(String token, String kind, String name, long seq)
      throws Exception {
    String json =
        new JsonObject()
            .put("kind", kind)
            .put("namespace", "admin")
            .put("name", name)
            .put("seq", seq)
            .encode();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + "/api/restore"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.port() + path))
            .timeout(Duration.ofSeconds(10));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static ObjectKey key(WatchedKind kind, String name) {
    return new ObjectKey(kind.group(), kind.kind(), "admin", name);
  }
}
