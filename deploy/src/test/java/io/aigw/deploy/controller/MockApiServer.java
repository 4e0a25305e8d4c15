package io.aigw.deploy.controller;

import io.aigw.watchers.informer.WatchedKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.stream.Stream;

/**
 * fabric8's Kubernetes mock server, in CRUD mode (a real HTTP API server that stores what it is
 * sent) or in expectations mode, with clients on a given Vert.x. The CRUD dispatcher must be told
 * the kinds without a built-in model (the AI Gateway, Gateway API and Envoy Gateway kinds).
 */
public final class MockApiServer implements AutoCloseable {

  private static final List<String[]> CUSTOM_KINDS =
      List.of(
          new String[] {"gateway.envoyproxy.io", "v1alpha1", "HTTPRouteFilter", "httproutefilters"},
          new String[] {
            "gateway.envoyproxy.io", "v1alpha1", "EnvoyExtensionPolicy", "envoyextensionpolicies"
          },
          new String[] {"gateway.networking.k8s.io", "v1", "HTTPRoute", "httproutes"});

  public final KubernetesMockServer server;
  private final List<KubernetesClient> clients = new ArrayList<>();

  private MockApiServer(KubernetesMockServer server) {
    this.server = server;
    server.init();
  }

  public static MockApiServer crud() {
    return new MockApiServer(
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(customResources()),
            false));
  }

  public static MockApiServer expectations() {
    return new MockApiServer(new KubernetesMockServer(false));
  }

  static List<CustomResourceDefinitionContext> customResources() {
    Stream<String[]> watched =
        WatchedKind.ALL.stream()
            .filter(kind -> !kind.group().isEmpty())
            .map(kind -> new String[] {kind.group(), kind.version(), kind.kind(), kind.plural()});
    return Stream.concat(watched, CUSTOM_KINDS.stream())
        .map(
            k ->
                new CustomResourceDefinitionContext.Builder()
                    .withGroup(k[0])
                    .withVersion(k[1])
                    .withKind(k[2])
                    .withPlural(k[3])
                    .withScope("Namespaced")
                    .build())
        .toList();
  }

  /** A client of this server on {@code vertx}; closed with the server. */
  public KubernetesClient client(Vertx vertx) {
    KubernetesClient client = server.createClient(new Vertx5HttpClientFactory(vertx));
    clients.add(client);
    return client;
  }

  /** The base URL, e.g. for a client built from a kubeconfig or behind a proxy. */
  public String url() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  public static GenericKubernetesResource parse(KubernetesClient client, String yaml) {
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  @Override
  public void close() {
    clients.forEach(KubernetesClient::close);
    try {
      server.destroy();
    } catch (IllegalStateException e) {
      // the mock's own Vert.x can take longer than its fixed wait to close on a loaded machine,
      // with watches just cut; the test's result is already known, so this is only cleanup
      System.err.println("mock API server: " + e.getMessage());
    }
  }
}
