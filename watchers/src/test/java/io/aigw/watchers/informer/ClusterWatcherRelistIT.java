package io.aigw.watchers.informer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.core.event.WatchEvent;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListMetaBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEventBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the CRUD mock cannot do (it ignores resourceVersion and never answers 410), scripted with
 * the mock's expectations: a watch that ends in {@code 410 Gone} makes the informer relist, and the
 * relist appends only what changed.
 */
class ClusterWatcherRelistIT {
  /**
   * Awaitility's 10 s default is short for the first test of a cold JVM on a loaded runner: it
   * loads the client, the mock server and Vert.x and starts an informer per kind.
   */
  private static final Duration WAIT = Duration.ofSeconds(30);

  static final String PATH = "/apis/aigateway.envoyproxy.io/v1beta1/aigatewayroutes";

  final MockCluster cluster = new MockCluster(false);
  final List<WatchEvent> events = Collections.synchronizedList(new ArrayList<>());
  ClusterWatcher watcher;

  @AfterEach
  void close() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    cluster.close();
  }

  GenericKubernetesResource route(String name, String backend, String resourceVersion) {
    GenericKubernetesResource route =
        cluster.parse(
            """
            apiVersion: aigateway.envoyproxy.io/v1beta1
            kind: AIGatewayRoute
            metadata: {name: %s, namespace: team-a, uid: uid-%s, resourceVersion: '%s'}
            spec: {rules: [{backendRefs: [{name: %s}]}]}
            """
                .formatted(name, name, resourceVersion, backend));
    return route;
  }

  GenericKubernetesResourceList list(String resourceVersion, GenericKubernetesResource... items) {
    GenericKubernetesResourceList list = new GenericKubernetesResourceList();
    list.setMetadata(new ListMetaBuilder().withResourceVersion(resourceVersion).build());
    list.setItems(List.of(items));
    return list;
  }

  @Test
  void aWatchEndingIn410GoneRelistsAndAppendsOnlyWhatChanged() throws Exception {
    cluster
        .server
        .expect()
        .get()
        .withPath(PATH + "?limit=500")
        .andReturn(200, list("10", route("a", "openai", "5"), route("b", "openai", "6")))
        .once();
    cluster
        .server
        .expect()
        .get()
        .withPath(
            PATH + "?allowWatchBookmarks=true&resourceVersion=10&timeoutSeconds=600&watch=true")
        .andUpgradeToWebSocket()
        .open()
        .waitFor(100)
        .andEmit(
            new WatchEventBuilder()
                .withType("ERROR")
                .withObject(new StatusBuilder().withCode(410).withReason("Gone").build())
                .build())
        .done()
        .once();
    // after the relist: a changed, b unchanged (new resourceVersion), c new; the watch then idles
    cluster
        .server
        .expect()
        .get()
        .withPath(PATH + "?limit=500")
        .andReturn(
            200,
            list(
                "20",
                route("a", "bedrock", "15"),
                route("b", "openai", "16"),
                route("c", "x", "17")))
        .once();
    cluster
        .server
        .expect()
        .get()
        .withPath(
            PATH + "?allowWatchBookmarks=true&resourceVersion=20&timeoutSeconds=600&watch=true")
        .andUpgradeToWebSocket()
        .open()
        .done()
        .always();

    watcher =
        ClusterWatcher.builder(cluster.client)
            .source("k8s:test")
            .kinds(List.of(WatchedKind.AI_GATEWAY_ROUTE))
            .build();
    watcher.events().subscribe(events::add, error -> {});
    watcher.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    // a and b, then the relist: a changed, b repeated (new resourceVersion, same content), c new
    await().atMost(WAIT).until(() -> events.size() >= 4 && watcher.counts().repeated() >= 3);

    assertThat(events.stream().map(e -> e.name() + "@" + e.resourceVersion()).toList())
        .containsExactly("a@5", "b@6", "a@15", "c@17");
    // relisted; a slow machine may see the informer list once more (a reconnect racing the 410),
    // which the de-duplication above must absorb
    assertThat(requests()).filteredOn(path -> path.endsWith("?limit=500")).hasSizeBetween(2, 3);
  }

  List<String> requests() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest request;
    while ((request = cluster.server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
      paths.add(request.getPath());
    }
    return paths;
  }
}
