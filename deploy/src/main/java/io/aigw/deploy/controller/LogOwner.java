package io.aigw.deploy.controller;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.UUID;

/**
 * Who a Kafka log belongs to: one id per controller installation, kept in the ConfigMap {@value
 * #CONFIG_MAP} of the Lease's namespace and made at its first start. The replicas of a controller
 * share it; a controller of another cluster, pointed at the same topic by mistake, has another, and
 * its entries stop the log instead of being applied here. Not labelled as generated: the applier
 * must not prune it.
 */
final class LogOwner {

  static final String CONFIG_MAP = "aigw-log-owner";
  static final String KEY = "owner";

  private LogOwner() {}

  /** The id, made when there is none; blocks on the API server. */
  static String of(KubernetesClient client, String namespace) {
    for (int attempt = 0; attempt < 3; attempt++) {
      ConfigMap found = client.configMaps().inNamespace(namespace).withName(CONFIG_MAP).get();
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
                    .withName(CONFIG_MAP)
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
        "ConfigMap " + namespace + "/" + CONFIG_MAP + " cannot be read or made");
  }
}
