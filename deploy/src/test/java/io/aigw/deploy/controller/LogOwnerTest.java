package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogOwnerTest {

  final Vertx vertx = Vertx.vertx();
  final MockApiServer api = MockApiServer.crud();
  final KubernetesClient client = api.client(vertx);

  @AfterEach
  void close() {
    api.close();
    vertx.close().await();
  }

  @Test
  void eachInstallationOfANamespaceHasItsOwnIdAndKeepsIt() {
    String first = LogOwner.of(client, "aigw-system", "aigw-controller");
    String second = LogOwner.of(client, "aigw-system", "aigw-controller-eu");
    assertThat(second).isNotEqualTo(first);
    // replicas of one installation, and its later starts, share the id
    assertThat(LogOwner.of(client, "aigw-system", "aigw-controller")).isEqualTo(first);
    assertThat(LogOwner.of(client, "aigw-system", "aigw-controller-eu")).isEqualTo(second);
    // the default installation's ConfigMap keeps its name from before
    assertThat(
            client
                .configMaps()
                .inNamespace("aigw-system")
                .withName("aigw-log-owner")
                .get()
                .getData())
        .containsEntry("owner", first);
    assertThat(
            client
                .configMaps()
                .inNamespace("aigw-system")
                .withName("aigw-controller-eu-log-owner")
                .get()
                .getData())
        .containsEntry("owner", second);
  }
}
