package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.CanonicalJson;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.ApplyOutcome;
import io.aigw.core.event.LogEntry;
import io.aigw.core.event.ObjectKey;
import io.aigw.core.event.WatchEvent;
import io.aigw.deploy.apply.ApplierOptions;
import io.aigw.deploy.apply.Backoff;
import io.aigw.deploy.apply.FabricObjectApi;
import io.aigw.deploy.apply.ResourceType;
import io.aigw.deploy.leader.LeaseElection;
import io.aigw.deploy.rotate.RotationEndpoints;
import io.aigw.projections.desired.ExtProcSettings;
import io.aigw.watchers.dedupe.ContentHash;
import io.aigw.watchers.informer.WatchedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One namespace of fabric8's CRUD mock server, optionally behind a {@link FaultProxy}, with
 * controllers started on their own data directories: what the controller tests share.
 */
final class ControllerHarness implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final MockApiServer api = MockApiServer.crud();
  final KubernetesClient kubectl = api.client(vertx);
  final String namespace;
  final Path root;
  private final List<KubernetesController> controllers = new ArrayList<>();
  private final List<KubernetesClient> clients = new ArrayList<>();
  private FaultProxy proxy;

  ControllerHarness(String namespace) throws Exception {
    this.namespace = namespace;
    this.root = Files.createTempDirectory("aigw-controller-");
  }

  /** Every later controller talks to the server through a fault proxy. */
  FaultProxy proxy() throws Exception {
    if (proxy == null) {
      proxy = FaultProxy.start(vertx, api.server.getHostName(), api.server.getPort());
    }
    return proxy;
  }

  ControllerOptions options(Path data, String identity) {
    return new ControllerOptions(
        data,
        false,
        ExtProcSettings.DEFAULT,
        LeaseElection.Options.of(namespace, "aigw-controller", identity)
            // a stalled renewal on a loaded machine must not hand the Lease over mid-test; a
            // stopped controller releases it, so handovers stay quick
            .withTiming(Duration.ofMillis(10000), Duration.ofMillis(7000), Duration.ofMillis(200)),
        ApplierOptions.defaults("k8s:test")
            .withNamespaces(List.of(namespace))
            .withDriftInterval(Duration.ZERO)
            .withBackoff(new Backoff(Duration.ofMillis(20), Duration.ofMillis(500), 20)),
        Duration.ofSeconds(5),
        // the examples' credential policies make the leader rotate: a closed local port fails at
        // once, where a public endpoint depends on the machine's DNS and network
        new RotationEndpoints(
            "http://127.0.0.1:9/",
            "http://127.0.0.1:9",
            "http://127.0.0.1:9/",
            "http://127.0.0.1:9"),
        Optional.empty());
  }

  KubernetesController start(String data, String identity) throws Exception {
    return start(options(root.resolve(data), identity));
  }

  KubernetesController start(ControllerOptions options) throws Exception {
    String url = proxy == null ? api.url() : proxy.url();
    KubernetesClient client =
        ClusterClients.of(
            vertx, new ConfigBuilder().withMasterUrl(url).withNamespace(namespace).build());
    clients.add(client);
    KubernetesController controller =
        KubernetesController.start(vertx, client, options).await(20, TimeUnit.SECONDS);
    controllers.add(controller);
    controller.ready().await(30, TimeUnit.SECONDS);
    return controller;
  }

  void stop(KubernetesController controller) throws Exception {
    controllers.remove(controller);
    controller.close().await(20, TimeUnit.SECONDS);
  }

  /** Writes every document of the watched kinds into this namespace, as kubectl apply would. */
  void apply(String yaml) throws Exception {
    for (YamlDocuments.Document document : YamlDocuments.parse(yaml)) {
      ObjectNode object = (ObjectNode) document.node();
      Optional<WatchedKind> kind = watchedKind(object);
      if (kind.isEmpty()) {
        continue;
      }
      object.withObjectProperty("metadata").put("namespace", namespace);
      GenericKubernetesResource resource =
          MockApiServer.parse(kubectl, CanonicalJson.write(object));
      write(kind.get(), resource);
    }
  }

  /** Create or update, reading again on a conflict (the controller writes statuses meanwhile). */
  private void write(WatchedKind kind, GenericKubernetesResource resource) {
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              kubectl
                  .genericKubernetesResources(kind.context())
                  .inNamespace(namespace)
                  .resource(resource)
                  .createOr(NonDeletingOperation::update);
              return true;
            });
  }

  /** A file written for the {@code default} namespace, moved into this one. */
  void apply(Path file) throws Exception {
    apply(Files.readString(file).replace("namespace: default", "namespace: " + namespace));
  }

  void delete(WatchedKind kind, String name) {
    kubectl
        .genericKubernetesResources(kind.context())
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }

  Optional<JsonNode> get(WatchedKind kind, String name) {
    GenericKubernetesResource found =
        kubectl
            .genericKubernetesResources(kind.context())
            .inNamespace(namespace)
            .withName(name)
            .get();
    return Optional.ofNullable(found)
        .map(r -> CanonicalJson.read(kubectl.getKubernetesSerialization().asJson(r)));
  }

  static Optional<WatchedKind> watchedKind(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText();
    String kind = object.path("kind").asText();
    return WatchedKind.ALL.stream()
        .filter(k -> k.kind().equals(kind) && k.group().equals(ObjectKey.groupOf(apiVersion)))
        .findFirst();
  }

  /** Every live object labelled {@code app.kubernetes.io/managed-by: aigw} in the namespace. */
  Map<ObjectKey, JsonNode> owned() throws Exception {
    Map<ObjectKey, JsonNode> owned = new TreeMap<>();
    FabricObjectApi reader = new FabricObjectApi(kubectl, Duration.ofSeconds(5));
    for (ResourceType type : ResourceType.OWNED) {
      JsonNode list =
          reader
              .list(type, namespace, "app.kubernetes.io/managed-by=aigw", "")
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS)
              .json();
      for (JsonNode item : list.path("items")) {
        owned.put(type.key(namespace, item.at("/metadata/name").asText()), item);
      }
    }
    return owned;
  }

  /**
   * Waits until {@code controller} has seen every object of the watched kinds that the namespace
   * holds (same uid: not resourceVersion, since status-only changes never reach the log, so an
   * update must be waited for by its own sign first) and, leading, has applied everything its log
   * holds.
   */
  void awaitConverged(KubernetesController controller) {
    // a list that stalls past its timeout on a loaded machine is retried, not a failure
    await()
        .ignoreExceptions()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              long seq = controller.log().latestSeq();
              return observed(controller)
                  && controller.host().currentSeq() >= seq
                  && controller.applierStatus().map(s -> s.settledAt(seq)).orElse(false);
            });
  }

  /** True when the controller's world has every watched object of the namespace as it is now. */
  boolean observed(KubernetesController controller) {
    Map<ObjectKey, String> cluster = new TreeMap<>();
    for (WatchedKind kind : WatchedKind.ALL) {
      for (GenericKubernetesResource item :
          kubectl
              .genericKubernetesResources(kind.context())
              .inNamespace(namespace)
              .list()
              .getItems()) {
        cluster.put(
            new ObjectKey(kind.group(), kind.kind(), namespace, item.getMetadata().getName()),
            item.getMetadata().getUid());
      }
    }
    Map<ObjectKey, String> seen = new TreeMap<>();
    controller
        .host()
        .current()
        .world()
        .objects()
        .forEach(
            (key, object) -> {
              if (key.namespace().equals(namespace)) {
                seen.put(key, object.event().uid());
              }
            });
    return cluster.equals(seen);
  }

  /** The log holds no repeat: consecutive watch events of one key always differ. */
  static void assertNoRepeats(KubernetesController controller) {
    Map<ObjectKey, String> last = new HashMap<>();
    for (LogEntry entry : controller.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof WatchEvent event) {
        String content = event.type() + event.uid() + ContentHash.ofJson(event.objectJson());
        assertThat(last.put(event.key(), content))
            .as("seq %d repeats %s", entry.seq(), event.key())
            .isNotEqualTo(content);
      }
    }
  }

  static List<ApplyOutcome> outcomes(KubernetesController controller) {
    List<ApplyOutcome> outcomes = new ArrayList<>();
    for (LogEntry entry : controller.log().read(1, Integer.MAX_VALUE)) {
      if (entry.event() instanceof ApplyOutcome outcome) {
        outcomes.add(outcome);
      }
    }
    return outcomes;
  }

  @Override
  public void close() throws Exception {
    for (KubernetesController controller : List.copyOf(controllers)) {
      controller.close().await(20, TimeUnit.SECONDS);
    }
    clients.forEach(KubernetesClient::close);
    if (proxy != null) {
      proxy.close();
    }
    api.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
