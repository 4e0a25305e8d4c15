package io.aigw.watchers.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.event.EventType;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterWatcherIT {
  /**
   * Awaitility's 10 s default is short for the first test of a cold JVM on a loaded runner: it
   * loads the client, the mock server and Vert.x and starts an informer per kind.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  static final String ROUTE =
      """
      apiVersion: aigateway.envoyproxy.io/v1beta1
      kind: AIGatewayRoute
      metadata: {name: chat, namespace: %s}
      spec:
        parentRefs: [{name: gw}]
        rules: [{backendRefs: [{name: %s}]}]
      """;

  static final String SECRET =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: openai-key, namespace: %s}
      data: {apiKey: c2stdGVzdC12YWx1ZQ==}
      """;

  final MockCluster cluster = MockCluster.crud();
  final List<ClusterWatcher> watchers = new ArrayList<>();
  final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() throws Exception {
    watchers.forEach(ClusterWatcher::close);
    cluster.close();
  }

  ClusterWatcher start(ClusterWatcher.Builder builder) throws Exception {
    ClusterWatcher watcher = builder.source("k8s:test").build();
    watchers.add(watcher);
    watcher.events().subscribe(events::add, error -> {});
    watcher.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return watcher;
  }

  List<String> described() {
    synchronized (events) {
      return events.stream().map(e -> e.type() + " " + e.key()).toList();
    }
  }

  @Test
  void everyChangeOfAWatchedKindBecomesOneEventWithTheServersIdentity() throws Exception {
    start(ClusterWatcher.builder(cluster.client));
    GenericKubernetesResource created =
        cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    await().atMost(WAIT).until(() -> events.size() == 1);
    cluster.update(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "bedrock"));
    await().atMost(WAIT).until(() -> events.size() == 2);
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, "team-a", "chat");
    await().atMost(WAIT).until(() -> events.size() == 3);

    assertThat(described())
        .containsExactly(
            "UPSERT AIGatewayRoute team-a/chat",
            "UPSERT AIGatewayRoute team-a/chat",
            "DELETE AIGatewayRoute team-a/chat");
    WatchEvent first = events.get(0);
    assertThat(first.source()).isEqualTo("k8s:test");
    assertThat(first.apiVersion()).isEqualTo("aigateway.envoyproxy.io/v1beta1");
    assertThat(first.uid()).isEqualTo(created.getMetadata().getUid()).isNotEmpty();
    assertThat(first.resourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
    assertThat(
            CanonicalJson.read(events.get(1).objectJson())
                .at("/spec/rules/0/backendRefs/0/name")
                .asText())
        .isEqualTo("bedrock");
    assertThat(events.get(1).generation()).isGreaterThan(first.generation());
  }

  @Test
  void aSecretIsRecordedAsKeyNamesAndDigestsOnly() throws Exception {
    start(ClusterWatcher.builder(cluster.client));
    cluster.create(WatchedKind.SECRET, SECRET.formatted("team-a"));
    await().atMost(WAIT).until(() -> events.size() == 1);

    String recorded = events.get(0).objectJson();
    assertThat(recorded).doesNotContain("c2stdGVzdC12YWx1ZQ==").doesNotContain("sk-test-value");
    assertThat(CanonicalJson.read(recorded).at("/data/apiKey").asText()).startsWith("sha256:");
  }

  @Test
  void helmReleasesAndTokensAreNeitherAskedForNorRecorded() throws Exception {
    start(ClusterWatcher.builder(cluster.client));
    cluster.create(
        WatchedKind.SECRET,
        """
        apiVersion: v1
        kind: Secret
        type: helm.sh/release.v1
        metadata: {name: sh.helm.release.v1.eg.v7, namespace: team-a}
        data: {release: H4sIAAAAAAAA}
        """);
    cluster.create(
        WatchedKind.SECRET,
        """
        apiVersion: v1
        kind: Secret
        type: kubernetes.io/service-account-token
        metadata: {name: builder-token, namespace: team-a}
        data: {token: ZXlKaGJHY2lPaQ==}
        """);
    cluster.create(WatchedKind.SECRET, SECRET.formatted("team-a"));
    await().atMost(WAIT).until(() -> events.size() >= 1);
    // the next Secret's event would have come by the time a later one has
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    await().atMost(WAIT).until(() -> described().contains("UPSERT AIGatewayRoute team-a/chat"));

    assertThat(described())
        .containsExactly("UPSERT Secret team-a/openai-key", "UPSERT AIGatewayRoute team-a/chat");
    List<String> secretLists = new ArrayList<>();
    for (int i = cluster.server.getRequestCount(); i > 0; i--) {
      String path =
          java.net.URLDecoder.decode(
              cluster.server.takeRequest(1, TimeUnit.SECONDS).getPath(),
              java.nio.charset.StandardCharsets.UTF_8);
      if (path.startsWith("/api/v1/secrets?")) {
        secretLists.add(path);
      }
    }
    assertThat(secretLists)
        .isNotEmpty()
        .allSatisfy(
            path ->
                assertThat(path)
                    .contains(
                        "type!=helm.sh/release.v1",
                        "type!=kubernetes.io/service-account-token",
                        "type!=bootstrap.kubernetes.io/token"));
  }

  @Test
  void theStatusOfAnAiGatewayObjectIsNotRecorded() throws Exception {
    start(ClusterWatcher.builder(cluster.client));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    await().atMost(WAIT).until(() -> events.size() == 1);
    GenericKubernetesResource withStatus =
        cluster.parse(
            ROUTE.formatted("team-a", "openai")
                + "status: {conditions: [{type: Accepted, status: 'True'}]}\n");
    cluster
        .client
        .genericKubernetesResources(WatchedKind.AI_GATEWAY_ROUTE.context())
        .inNamespace("team-a")
        .resource(withStatus)
        .updateStatus();
    cluster.create(
        WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "x").replace("chat", "next"));
    await().atMost(WAIT).until(() -> events.size() == 2);

    assertThat(described())
        .containsExactly("UPSERT AIGatewayRoute team-a/chat", "UPSERT AIGatewayRoute team-a/next");
    assertThat(events.get(0).objectJson()).doesNotContain("status");
  }

  @Test
  void aResyncThatRepeatsTheCacheAppendsNothing() throws Exception {
    ClusterWatcher watcher =
        start(ClusterWatcher.builder(cluster.client).resync(Duration.ofSeconds(1)));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    cluster.create(WatchedKind.SECRET, SECRET.formatted("team-a"));
    await().atMost(WAIT).until(() -> watcher.counts().repeated() >= 2);

    assertThat(events).hasSize(2);
  }

  @Test
  void onlyTheListedNamespacesAreWatched() throws Exception {
    start(ClusterWatcher.builder(cluster.client).namespaces(List.of("team-a")));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-b", "openai"));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    await().atMost(WAIT).until(() -> events.size() == 1);
    cluster.create(WatchedKind.SECRET, SECRET.formatted("team-a"));
    await().atMost(WAIT).until(() -> events.size() == 2);

    assertThat(described())
        .containsExactly("UPSERT AIGatewayRoute team-a/chat", "UPSERT Secret team-a/openai-key");
  }

  @Test
  void aRestartEmitsOnlyWhatChangedWhileAway() throws Exception {
    ClusterWatcher first = start(ClusterWatcher.builder(cluster.client));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "openai"));
    cluster.create(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-b", "openai"));
    cluster.create(WatchedKind.SECRET, SECRET.formatted("team-a"));
    await().atMost(WAIT).until(() -> events.size() == 3);
    first.close();
    Map<ObjectKey, WatchEvent> recorded = new TreeMap<>();
    events.forEach(e -> recorded.put(e.key(), e));
    events.clear();

    cluster.update(WatchedKind.AI_GATEWAY_ROUTE, ROUTE.formatted("team-a", "bedrock"));
    cluster.delete(WatchedKind.AI_GATEWAY_ROUTE, "team-b", "chat");
    start(ClusterWatcher.builder(cluster.client).recorded(recorded));

    assertThat(described())
        .containsExactlyInAnyOrder(
            "UPSERT AIGatewayRoute team-a/chat", "DELETE AIGatewayRoute team-b/chat");
    assertThat(
            events.stream()
                .filter(e -> e.type() == EventType.DELETE)
                .findFirst()
                .orElseThrow()
                .uid())
        .isEqualTo(
            recorded
                .get(new ObjectKey("aigateway.envoyproxy.io", "AIGatewayRoute", "team-b", "chat"))
                .uid());
  }
}
