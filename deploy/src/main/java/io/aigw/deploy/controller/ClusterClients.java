package io.aigw.deploy.controller;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

/**
 * The controller's fabric8 client: found the standard way ({@code KUBECONFIG}, then {@code
 * ~/.kube/config}, then the pod's service account), on the process's own Vert.x, and without the
 * client's own retries of failed requests: the informers, the elector and the applier each retry
 * with their own policy, and a hidden retry loop would only stretch their deadlines.
 */
public final class ClusterClients {

  private ClusterClients() {}

  /** A client configured from the environment (kubeconfig or in-cluster). */
  public static KubernetesClient fromEnvironment(Vertx vertx) {
    return of(vertx, Config.autoConfigure(null));
  }

  /** A client with {@code config}, tuned as above. */
  public static KubernetesClient of(Vertx vertx, Config config) {
    config.setRequestRetryBackoffLimit(0);
    config.setWatchReconnectInterval(1000);
    config.setWatchReconnectLimit(-1);
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new Vertx5HttpClientFactory(vertx))
        .build();
  }

  /** {@code k8s:<kubeconfig context>}, or {@code k8s:in-cluster} with a service account. */
  public static String source(KubernetesClient client) {
    NamedContext context = client.getConfiguration().getCurrentContext();
    String name = context == null || context.getName() == null ? "" : context.getName();
    return "k8s:" + (name.isEmpty() ? "in-cluster" : name);
  }
}
