package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.extproc.envoy.EnvoyBootstrap;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyBootstrapCommandTest {

  @Test
  void printsABootstrapEnvoyParsesWiringEveryBundledBackend() throws Exception {
    CliRun run = CliRun.of("envoy-bootstrap", Fixtures.examples().toString(), "--listen", "10080");

    assertThat(run.exitCode()).as(run.err()).isZero();
    // Envoy's own message classes, which refuse a field Envoy would not know
    Bootstrap bootstrap = EnvoyBootstrap.parse(run.out());
    Listener listener = bootstrap.getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getPortValue()).isEqualTo(10080);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.1");
    assertThat(run.err()).isEmpty();
    HttpConnectionManager hcm = EnvoyBootstrap.connectionManager(bootstrap);
    assertThat(
            EnvoyBootstrap.extProcFilter(bootstrap)
                .getGrpcService()
                .getEnvoyGrpc()
                .getClusterName())
        .isEqualTo("aigw-extproc");
    List<String> backends =
        List.of("openai.default", "aws-bedrock.default", "azure-openai.default");
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList())
        .filteredOn(route -> backends.contains(route.getName()))
        .hasSize(backends.size())
        .allSatisfy(
            route -> {
              assertThat(route.getMatch().getHeaders(0).getName())
                  .isEqualTo("x-ai-eg-selected-backend");
              assertThat(route.getMatch().getHeaders(0).getStringMatch().getExact())
                  .isEqualTo(route.getName());
              assertThat(route.getRoute().getCluster())
                  .isEqualTo("aigw-backend-" + route.getName());
            });
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutesList())
        .as("the route for gpt-4o's own 120s comes before openai's first rule, with 60s")
        .filteredOn(route -> route.getName().startsWith("openai.default"))
        .extracting(
            route ->
                route.getName()
                    + " "
                    + route.getMatch().getHeadersList().stream()
                        .map(h -> h.getName() + "=" + h.getStringMatch().getExact())
                        .toList()
                    + " "
                    + route.getRoute().getTimeout().getSeconds())
        .containsExactly(
            "openai.default/120s [x-ai-eg-selected-backend=openai.default,"
                + " x-aigw-backend-rule=120s] 120",
            "openai.default [x-ai-eg-selected-backend=openai.default] 60");
    assertThat(bootstrap.getStaticResources().getClustersList())
        .extracting(Cluster::getName)
        .contains("aigw-extproc")
        .contains(backends.stream().map(name -> "aigw-backend-" + name).toArray(String[]::new));
    assertThat(run.out()).contains("api.openai.com");
  }

  @Test
  void aPortOutOfRangeIsRefusedWithTheFlagNamed() {
    CliRun run = CliRun.of("envoy-bootstrap", Fixtures.examples().toString(), "--listen", "70000");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--listen: 70000 is not a port");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aBackendWithoutAnEndpointIsNamed(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("route.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: chat}
        spec:
          rules:
            - backendRefs: [{name: local}]
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: local}
        spec:
          schema: {name: OpenAI}
          backendRef: {name: missing, kind: Backend, group: gateway.envoyproxy.io}
        """);

    CliRun run = CliRun.of("envoy-bootstrap", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("local.default");
  }

  @Test
  void everyInterfaceIsAFlagAway() throws Exception {
    CliRun run =
        CliRun.of("envoy-bootstrap", Fixtures.examples().toString(), "--listen-host", "0.0.0.0");

    assertThat(run.exitCode()).as(run.err()).isZero();
    Listener listener = EnvoyBootstrap.parse(run.out()).getStaticResources().getListeners(0);
    assertThat(listener.getAddress().getSocketAddress().getAddress()).isEqualTo("0.0.0.0");
  }

  @Test
  void aDirectoryThatDoesNotExistIsAUsageError(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-dir");

    CliRun run = CliRun.of("envoy-bootstrap", missing.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("aigw envoy-bootstrap: " + missing + " is not a directory\n");
  }

  @Test
  void aDirectoryWithoutAnAcceptedRouteIsSaidOnStandardError(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("notes.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

    CliRun run = CliRun.of("envoy-bootstrap", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(EnvoyBootstrap.parse(run.out()).getStaticResources().getListenersCount()).isOne();
    assertThat(run.err()).contains("no AIGatewayRoute in " + dir + " was accepted");
  }

  @Test
  void aFileThatDoesNotParseIsNamedOnStandardErrorAndTheRestIsPrinted(@TempDir Path dir)
      throws IOException {
    Files.copy(Fixtures.examples().resolve("openai.yaml"), dir.resolve("openai.yaml"));
    Files.writeString(dir.resolve("broken.yaml"), "kind: [unclosed\n");

    CliRun run = CliRun.of("envoy-bootstrap", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).startsWith(dir.resolve("broken.yaml") + ":1: YAML syntax: ");
    assertThat(run.out()).contains("openai.default");
  }

  @Test
  void aListenHostThatIsNotAnAddressIsRefusedWithTheFlagNamed() {
    CliRun run =
        CliRun.of("envoy-bootstrap", Fixtures.examples().toString(), "--listen-host", "not an ip");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--listen-host: not an ip is not an IP address");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aRouteWhoseBackendIsMissingIsSaidOnStandardError(@TempDir Path dir) throws IOException {
    Files.copy(Fixtures.examples().resolve("openai.yaml"), dir.resolve("openai.yaml"));
    Files.writeString(
        dir.resolve("dangling.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata: {name: dangling}
        spec:
          rules:
            - backendRefs: [{name: no-such-backend}]
        """);

    CliRun run = CliRun.of("envoy-bootstrap", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .contains("AIGatewayRoute default/dangling: ")
        .contains("AIServiceBackend default/no-such-backend not found");
  }

  @Test
  void onlyIpAddressesAreListenHosts() {
    assertThat(List.of("127.0.0.1", "0.0.0.0", "::", "::1", "fd00::1"))
        .allMatch(EnvoyBootstrapCommand::isIpLiteral);
    assertThat(List.of("localhost", "999.1.1.1", ":", "1:2", "1.2.3", ""))
        .noneMatch(EnvoyBootstrapCommand::isIpLiteral);
  }
}
