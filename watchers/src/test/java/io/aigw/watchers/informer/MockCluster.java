package io.aigw.watchers.informer;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** fabric8's API server in CRUD mode, with a client on our own Vert.x. */
final class MockCluster implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final KubernetesMockServer server;
  final KubernetesClient client;

  MockCluster(boolean crud) {
    server =
        crud
            ? new KubernetesMockServer(
                new Context(),
                new MockWebServer(),
                new HashMap<>(),
                new KubernetesCrudDispatcher(customResources()),
                false)
            : new KubernetesMockServer(false);
    server.init();
    client = server.createClient(new Vertx5HttpClientFactory(vertx));
  }

  /** The CRUD dispatcher must know the kinds that have no built-in model to address them. */
  static List<CustomResourceDefinitionContext> customResources() {
    return WatchedKind.ALL.stream()
        .filter(kind -> !kind.group().isEmpty())
        .map(
            kind ->
                new CustomResourceDefinitionContext.Builder()
                    .withGroup(kind.group())
                    .withVersion(kind.version())
                    .withKind(kind.kind())
                    .withPlural(kind.plural())
                    .withScope("Namespaced")
                    .build())
        .toList();
  }

  static MockCluster crud() {
    return new MockCluster(true);
  }

  GenericKubernetesResource parse(String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  GenericKubernetesResource create(WatchedKind kind, String yaml) {
    GenericKubernetesResource object = parse(yaml);
    return client
        .genericKubernetesResources(kind.context())
        .inNamespace(object.getMetadata().getNamespace())
        .resource(object)
        .create();
  }

  GenericKubernetesResource update(WatchedKind kind, String yaml) {
    GenericKubernetesResource object = parse(yaml);
    return client
        .genericKubernetesResources(kind.context())
        .inNamespace(object.getMetadata().getNamespace())
        .resource(object)
        .update();
  }

  void delete(WatchedKind kind, String namespace, String name) {
    client
        .genericKubernetesResources(kind.context())
        .inNamespace(namespace)
        .withName(name)
        .delete();
  }

  @Override
  public void close() throws Exception {
    client.close();
    server.destroy();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
