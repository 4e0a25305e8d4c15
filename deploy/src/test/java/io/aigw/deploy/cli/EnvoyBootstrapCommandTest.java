package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyBootstrapCommandTest {

  @Test
  void wiresEveryBundledBackendToItsEnvoyGatewayBackendEndpoint() {
    CliRun run = CliRun.of("envoy-bootstrap", Fixtures.examples().toString(), "--listen", "10080");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode bootstrap = CanonicalJson.read(run.out());
    JsonNode clusters = bootstrap.path("static_resources").path("clusters");
    List<String> names = clusters.findValuesAsText("name");
    assertThat(names)
        .contains(
            "aigw-extproc",
            "aigw-backend-openai.default",
            "aigw-backend-aws-bedrock.default",
            "aigw-backend-azure-openai.default");
    assertThat(run.out()).contains("api.openai.com").contains("\"port_value\" : 10080");
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
}
