package io.aigw.deploy.controller;

import io.aigw.deploy.leader.LeaseElection;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.UUID;

/**
 * Who a Kafka log belongs to: one id per controller installation, kept in a ConfigMap of the
 * Lease's namespace ({@link #configMapName}) and made at its first start. The replicas of a
 * controller share it; a controller of another cluster, or another installation in the same
 * namespace (it has a Lease of its own), pointed at the same topic by mistake, has another, and its
 * entries stop the log instead of being applied here. Not labelled as generated: the applier must
 * not prune it.
 */
final class LogOwner {

  static final String CONFIG_MAP = "aigw-log-owner";
  static final String KEY = "owner";

  private LogOwner() {}

  /**
   * The ConfigMap that keeps the id of the installation whose replicas share Lease {@code lease}:
   * {@value #CONFIG_MAP} for the default Lease, as before installations of one namespace had ids of
   * their own, else {@code <lease>-log-owner}.
   */
  static String configMapName(String lease) {
    return LeaseElection.DEFAULT_NAME.equals(lease) ? CONFIG_MAP : lease + "-log-owner";
  }

  /** The id of the installation of Lease {@code lease}, made when there is none; blocks. */
  static String of(KubernetesClient client, String namespace, String lease) {
    String name = configMapName(lease);
    for (int attempt = 0; attempt < 3; attempt++) {
      ConfigMap found = client.configMaps().inNamespace(namespace).withName(name).get();
      if (found != null && found.getData() != null && found.getData().get(KEY) != null) {
        return found.getData().get(KEY);
      }
      try {
        client
            .configMaps()
            .inNamespace(namespace)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace(namespace)
                    .addToLabels("app.kubernetes.io/part-of", "aigw")
                    .endMetadata()
                    .addToData(KEY, UUID.randomUUID().toString())
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        // another replica made it first: read it again
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    throw new IllegalStateException(
        "ConfigMap " + namespace + "/" + name + " cannot be read or made");
  }
}
