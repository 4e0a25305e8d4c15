package io.aigw.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aigw.core.codec.YamlDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TranslateCommandTest {

  static Stream<Path> upstreamExamples() throws IOException {
    try (Stream<Path> files = Files.walk(Fixtures.upstream("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("upstreamExamples")
  void acceptsEveryUpstreamExample(Path file) throws Exception {
    CliRun run = CliRun.of("translate", file.toString());

    // upstream serves every route of a Gateway from one ExtProc; here each route has its own, so
    // routes sharing a Gateway and hostnames are reported, and nothing else is (README)
    assertThat(run.err().lines())
        .allSatisfy(line -> assertThat(line).contains("takes this route's requests on Gateway"));
    assertThat(run.exitCode()).isEqualTo(run.err().isEmpty() ? 0 : 1);
    List<String> gateways =
        YamlDocuments.parse(Files.readString(file)).stream()
            .filter(d -> d.node().path("kind").asText().equals("AIGatewayRoute"))
            .map(d -> d.node().at("/spec/parentRefs/0/name").asText())
            .toList();
    long routes = gateways.size();
    // the examples set no hostnames: every route after the first on a Gateway is reported
    assertThat(run.err().lines().count()).isEqualTo(routes - gateways.stream().distinct().count());
    List<String> kinds = kinds(run.out());
    assertThat(kinds.stream().filter("HTTPRoute"::equals).count()).isEqualTo(routes);
    assertThat(kinds.stream().filter("EnvoyExtensionPolicy"::equals).count()).isEqualTo(routes);
    assertThat(kinds.stream().filter("Deployment"::equals).count()).isEqualTo(routes);
  }

  @Test
  void printsTheSeedResourcesOfARoute() throws Exception {
    CliRun run = CliRun.of("translate", Fixtures.examples().resolve("openai.yaml").toString());

    assertThat(kinds(run.out()))
        .containsExactlyInAnyOrder(
            "ConfigMap",
            "Deployment",
            "EnvoyExtensionPolicy",
            "HTTPRoute",
            "HTTPRouteFilter",
            "HTTPRouteFilter",
            "Service");
    assertThat(run.out()).contains("name: ai-eg-route-extproc-openai").contains("port: 1063");
  }

  @Test
  void v1alpha1AndV1beta1InputsTranslateIdentically() {
    CliRun beta =
        CliRun.of("translate", Fixtures.upstream("translate/translate_basic.in.yaml").toString());
    CliRun alpha =
        CliRun.of(
            "translate",
            Fixtures.upstream("translate/translate_basic_v1alpha1.in.yaml").toString());

    assertThat(beta.out()).isNotEmpty().isEqualTo(alpha.out());
  }

  @Test
  void outputIsByteStableAcrossRuns() {
    String first = CliRun.of("translate", Fixtures.examples().toString()).out();
    String second = CliRun.of("translate", Fixtures.examples().toString()).out();

    assertThat(first).isNotEmpty().isEqualTo(second);
  }

  @Test
  void nonAiResourcesPassWithoutOutputOrError() {
    CliRun run =
        CliRun.of(
            "translate", Fixtures.upstream("translate/translate_nonairesources.yaml").toString());

    assertThat(run.exitCode()).isZero();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void invalidInputIsNamedOnStderrAndTheValidPartIsStillPrinted(@TempDir Path dir)
      throws IOException {
    Files.copy(Fixtures.examples().resolve("openai.yaml"), dir.resolve("a-openai.yaml"));
    Files.writeString(dir.resolve("b-broken.yaml"), "kind: [unclosed\n");
    Files.writeString(
        dir.resolve("c-route.yaml"),
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIGatewayRoute
        metadata:
          name: dangling
        spec:
          rules:
            - backendRefs:
                - name: no-such-backend
        """);

    CliRun run = CliRun.of("translate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("b-broken.yaml:1:")
        .contains("c-route.yaml:1: AIGatewayRoute default/dangling:")
        .contains("AIServiceBackend default/no-such-backend not found");
    assertThat(run.out()).contains("name: ai-eg-route-extproc-openai");
  }

  @Test
  void anObjectDeclaredTwiceIsAnErrorNamingBothPlacesAndTheLastOneIsTaken(@TempDir Path dir)
      throws IOException {
    String backend =
        """
        apiVersion: aigateway.envoyproxy.io/v1beta1
        kind: AIServiceBackend
        metadata: {name: openai}
        spec:
          schema: {name: %s}
          backendRef: {name: openai, kind: Backend, group: gateway.envoyproxy.io}
        """;
    Files.writeString(dir.resolve("a.yaml"), backend.formatted("OpenAI"));
    Files.writeString(dir.resolve("b.yaml"), backend.formatted("AzureOpenAI"));

    CliRun run = CliRun.of("translate", dir.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .isEqualTo(
            dir.resolve("a.yaml")
                + ":1: AIServiceBackend default/openai is declared again in "
                + dir.resolve("b.yaml")
                + " at line 1, which is the one taken (the last declaration in path order wins)\n");
  }

  private static List<String> kinds(String yaml) throws Exception {
    return YamlDocuments.parse(yaml).stream().map(d -> d.node().path("kind").asText()).toList();
  }
}
