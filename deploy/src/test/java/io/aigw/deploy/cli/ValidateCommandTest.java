package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {

  @Test
  void theBundledExamplesAreValid() {
    CliRun run = CliRun.of("validate", Fixtures.examples().toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("0 violations");
  }

  @Test
  void aSecretWithATypoIsAViolationThatNamesTheFieldAndNotTheValue(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("secret.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: Secret
        metadata: {name: openai}
        stringdata:
          apiKey: sk-planted-validate-0e1d
        """);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly(
            file
                + ":1: Secret openai: unknown field stringdata (a Secret has apiVersion, data,"
                + " immutable, kind, metadata, stringData, type)");
    assertThat(run.out() + run.err()).doesNotContain("sk-planted");
  }

  @Test
  void aSecretWithATypoInsideAListIsAViolationToo(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("list.yaml");
    Files.writeString(
        file,
        """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: secret
            metadata: {name: openai}
            stringData: {apiKey: sk-planted-list-7f3a}
        """);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .containsExactly(
            file + ":1: apiVersion v1, kind secret: a Secret is apiVersion v1, kind Secret");
  }

  @Test
  void listsOfCoreKindsAndValuesFilesPass(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("exported.yaml"),
        """
        apiVersion: v1
        kind: ConfigMapList
        items:
          - apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, clusterName: ""}
            data: {a: "1"}
        """);
    Files.writeString(dir.resolve("values.yaml"), "replicas: 2\nimage: {tag: latest}\n");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aDocumentWithAnApiVersionAndNoKindIsAViolationAsAigwRunRefusesIt(@TempDir Path dir)
      throws IOException {
    Path chart = dir.resolve("Chart.yaml");
    Files.writeString(chart, "apiVersion: v1\nname: mychart\nversion: 0.1.0\n");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(chart + ":1: kind is missing\n");
  }

  @Test
  void eachViolationIsOneLineWithFileObjectFieldAndUpstreamMessage(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("route.yaml");
    Files.writeString(
        file,
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata:
          name: chat
          namespace: team-a
        spec:
          parentRefs:
            - name: gw
              kind: Service
          rules:
            - name: route-not-found
              backendRefs:
                - name: openai
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: BackendSecurityPolicy
        metadata:
          name: key
        spec:
          type: APIKey
          targetRefs:
            - group: aigateway.envoyproxy.io
              kind: AIServiceBackend
              name: openai
        """);

    CliRun run = CliRun.of("validate", file.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err().lines())
        .contains(
            file
                + ":1: AIGatewayRoute team-a/chat: spec.parentRefs: Invalid value: \"array\": only"
                + " Gateway is supported",
            file
                + ":1: AIGatewayRoute team-a/chat: spec.rules[0]: Invalid value: \"object\": rule"
                + " name route-not-found is reserved",
            file
                + ":15: BackendSecurityPolicy default/key: spec: Invalid value: \"object\": When"
                + " type is APIKey, only apiKey field should be set");
    assertThat(run.out()).contains("2 AI Gateway objects checked, 3 violations");
  }

  @Test
  void unparsableYamlIsAViolation(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("broken.yml");
    Files.writeString(file, "a: b\n  c: [\n");

    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).startsWith(file.toString() + ":");
  }

  @Test
  void upstreamKindsAigwDoesNotReadAreNamedButNotViolations(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("mcp.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: MCPRoute
        metadata: {name: tools, namespace: infra}
        spec:
          parentRefs: [{name: gw}]
          backendRefs: [{name: github}]
        """);
    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).contains("mcp.yaml:1: MCPRoute infra/tools: not read by aigw");
    assertThat(run.out())
        .contains("0 AI Gateway objects checked, 0 violations, 1 not read by aigw");
  }

  @Test
  void aQuotaPolicyIsCheckedAsTheCrdWouldAndRefusedAsV1beta1(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("quota.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: QuotaPolicy
        metadata: {name: tokens, namespace: infra}
        spec:
          targetRefs: [{group: aigateway.envoyproxy.io, kind: AIServiceBackend, name: openai}]
          perModelQuotas:
          - modelName: gpt-4o
            quota:
              defaultBucket: {limit: 1000, duration: 1w}
        ---
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: QuotaPolicy
        metadata: {name: later, namespace: infra}
        spec: {}
        """);
    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "quota.yaml:1: QuotaPolicy infra/tokens: spec.perModelQuotas[0].quota.defaultBucket"
                + ".duration: Unsupported value: \"1w\": supported values: \"1s\", \"1m\","
                + " \"1h\", \"1d\"",
            "quota.yaml:11: QuotaPolicy infra/later: apiVersion: Invalid value:"
                + " \"aigateway.envoyproxy.io/v1beta1\": QuotaPolicy is served only as"
                + " aigateway.envoyproxy.io/v1alpha1")
        .doesNotContain("not read by aigw");
    assertThat(run.out()).contains("2 AI Gateway objects checked, 2 violations");
  }

  @Test
  void aGatewayConfigIsCheckedAsTheCrdWould(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("gateway-config.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1alpha1
        kind: GatewayConfig
        metadata: {name: costs, namespace: infra}
        spec:
          extProc:
            kubernetes: {image: "aigw/aigw", env: [{name: A, value: "1"}]}
          globalLLMRequestCosts: [{metadataKey: used_token, type: TotalToken}]
        """);
    CliRun run = CliRun.of("validate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains(
            "gateway-config.yaml:1: GatewayConfig infra/costs: spec.extProc.kubernetes: Invalid"
                + " value: \"object\": Image must include a tag");
    assertThat(run.out()).contains("1 AI Gateway objects checked, 1 violations");
  }
}
