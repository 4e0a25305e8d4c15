package io.aigw.deploy.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.aigw.watchers.informer.WatchedKind;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code aigw controller} as a process: it finds the cluster through {@code KUBECONFIG}, reports
 * ready on {@code /readyz} once synced, serves the admin API with the tokens it wrote, applies as
 * the leader, and releases the Lease when stopped.
 */
class ControllerCommandIT {

  final HttpClient http = HttpClient.newHttpClient();
  ControllerHarness cluster;
  Process process;

  @AfterEach
  void close() throws Exception {
    if (process != null) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    cluster.close();
  }

  @Test
  void runsFromAKubeconfigBecomesReadyAppliesAndReleasesTheLeaseOnStop() throws Exception {
    cluster = new ControllerHarness("cli");
    cluster.apply(
        Files.readString(KubernetesControllerIT.examples().resolve("basic/openai.yaml"))
            .replace("namespace: default", "namespace: cli"));
    Path kubeconfig = cluster.root.resolve("kubeconfig");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        contexts: [{name: mock-context, context: {cluster: mock, namespace: cli, user: tester}}]
        current-context: mock-context
        users: [{name: tester, user: {token: t0ken}}]
        """
            .formatted(cluster.api.url()));
    ProcessBuilder builder =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.aigw.deploy.cli.AigwCommand",
                "controller",
                "--data",
                cluster.root.resolve("data").toString(),
                "--namespace",
                "cli",
                "--admin-port",
                "0",
                "--lease-namespace",
                "cli",
                "--identity",
                "replica-cli"));
    builder.environment().put("KUBECONFIG", kubeconfig.toString());
    builder.environment().put("AIGW_LOG_FSYNC", "false");
    builder
        .redirectErrorStream(true)
        .redirectOutput(cluster.root.resolve("controller.log").toFile());
    process = builder.start();

    // the port it bound, from its log: a port picked free here could be taken before it binds
    Path log = cluster.root.resolve("controller.log");
    Pattern listening = Pattern.compile("probes on port (\\d+)");
    int port =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> listening.matcher(Files.readString(log)), Matcher::find)
            .group(1)
            .transform(Integer::parseInt);
    await().atMost(Duration.ofSeconds(60)).until(() -> get(port, "/readyz") == 200);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> cluster.owned().size() == 7 && status(port).getBoolean("leader", false));

    JsonObject status = status(port);
    assertThat(status.getString("leaseHolder")).isEqualTo("replica-cli");
    assertThat(get(port, "/healthz")).isEqualTo(200);
    // the admin API on the same port, with the tokens generated into the data directory: never
    // printed, since a controller's output is its pod log
    Matcher generated =
        Pattern.compile("admin:(aigw_[0-9a-f]+)")
            .matcher(Files.readString(cluster.root.resolve("data").resolve("admin-tokens")));
    assertThat(generated.find()).isTrue();
    assertThat(Files.readString(cluster.root.resolve("controller.log")))
        .contains("admin API tokens in")
        .doesNotContain(generated.group(1));
    HttpResponse<String> whoami =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/whoami"))
                .header("Authorization", "Bearer " + generated.group(1))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(whoami.statusCode()).isEqualTo(200);
    assertThat(whoami.body()).contains("admin");
    assertThat(get(port, "/api/log")).isEqualTo(401);
    assertThat(Files.readString(cluster.root.resolve("controller.log")))
        .contains("k8s:mock-context");
    assertThat(
            cluster
                .get(WatchedKind.AI_GATEWAY_ROUTE, "envoy-ai-gateway-basic-openai")
                .orElseThrow()
                .at("/status/conditions/0/type")
                .asText())
        .isEqualTo("Accepted");

    process.destroy();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    var lease = cluster.kubectl.leases().inNamespace("cli").withName("aigw-controller").get();
    // released: fabric8 rewrites the Lease to lapse one second after the release (the mock keeps
    // the holder's name, which a real server's patch clears)
    assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(Files.readString(cluster.root.resolve("controller.log")))
        .doesNotContain("shutdown did not finish cleanly");
  }

  private int get(int port, String path) {
    try {
      return http.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private JsonObject status(int port) throws Exception {
    return new JsonObject(
        http.send(request(port, "/status"), HttpResponse.BodyHandlers.ofString()).body());
  }

  private static HttpRequest request(int port, String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .build();
  }
}
