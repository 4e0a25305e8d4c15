package io.aigw.deploy.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aigw.core.filterconfig.ApiFamily;
import io.aigw.core.filterconfig.ApiPaths;
import io.aigw.core.model.gateway.Deployment;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void unsetSettingsTakeTheirDefaults() {
    assertThat(Settings.EXTPROC_PORT.from(Map.of())).isEqualTo(1063);
    assertThat(Settings.ADMIN_PORT.from(Map.of())).isEqualTo(8080);
    assertThat(Settings.DATA_DIR.from(Map.of())).isEqualTo(Path.of("data"));
  }

  @Test
  void environmentValuesAreParsed() {
    assertThat(Settings.EXTPROC_PORT.from(Map.of("AIGW_EXTPROC_PORT", " 9001 "))).isEqualTo(9001);
    assertThat(Settings.LOG_FSYNC.from(Map.of("AIGW_LOG_FSYNC", "off"))).isFalse();
  }

  @Test
  void aBadValueNamesTheSetting() {
    assertThatThrownBy(() -> Settings.ADMIN_PORT.from(Map.of("AIGW_ADMIN_PORT", "70000")))
        .hasMessageContaining("AIGW_ADMIN_PORT=70000")
        .hasMessageContaining("not a port");
    assertThatThrownBy(() -> Settings.SNAPSHOT_EVERY.from(Map.of("AIGW_SNAPSHOT_EVERY", "x")))
        .hasMessageContaining("AIGW_SNAPSHOT_EVERY");
  }

  @Test
  void extProcCpuAndMemoryComeFromTheEnvironmentInTheFormTheApiServerStores() {
    var settings =
        Settings.extProc(Map.of("AIGW_EXTPROC_CPU", "1000m", "AIGW_EXTPROC_MEMORY", "1024Mi"));
    assertThat(settings.resources().quantities())
        .containsExactly(Map.entry("cpu", "1"), Map.entry("memory", "1Gi"));
    assertThat(Settings.extProc(Map.of()).resources().isEmpty()).isTrue();
    assertThatThrownBy(() -> Settings.extProc(Map.of("AIGW_EXTPROC_CPU", "fast")))
        .hasMessageContaining("AIGW_EXTPROC_CPU=fast")
        .hasMessageContaining("not a CPU quantity");
  }

  @Test
  void extProcBusyPollComesFromTheEnvironmentWithinItsBounds() {
    assertThat(
            Settings.extProc(Map.of("AIGW_EXTPROC_BUSY_POLL", "200", "AIGW_EXTPROC_CPU", "2"))
                .busyPollMicros())
        .isEqualTo(200);
    // without a CPU limit the pod would see, and poll on, every CPU of its node
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_BUSY_POLL", "200")))
        .hasValue(
            "AIGW_EXTPROC_BUSY_POLL=200: needs AIGW_EXTPROC_CPU, or each ExtProc would poll with"
                + " an event loop per CPU of its node");
    assertThat(Settings.extProc(Map.of()).busyPollMicros()).isZero();
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_BUSY_POLL", "-1")))
        .hasValue(
            "AIGW_EXTPROC_BUSY_POLL=-1: busy-poll window must be between 0 and 1000000"
                + " microseconds, got -1");
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_BUSY_POLL", "1000001"))).isPresent();
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_BUSY_POLL", "50us"))).isPresent();
  }

  @Test
  void theFirstBadValueInTheEnvironmentIsNamedForTheCommandsToRefuse() {
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_MEMORY", "1G")))
        .hasValueSatisfying(
            problem -> assertThat(problem).startsWith("AIGW_EXTPROC_MEMORY=1G: not a memory"));
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_CPU", "2", "HOME", "/root"))).isEmpty();
  }

  @Test
  void theExtProcsServiceAccountIsANameTheApiServerTakes() {
    assertThat(Settings.extProc(Map.of()).serviceAccount()).isEmpty();
    assertThat(
            Settings.extProc(Map.of("AIGW_EXTPROC_SERVICE_ACCOUNT", "bedrock-irsa"))
                .serviceAccount())
        .isEqualTo("bedrock-irsa");
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_SERVICE_ACCOUNT", "Bedrock_IRSA")))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("AIGW_EXTPROC_SERVICE_ACCOUNT=Bedrock_IRSA: not a ServiceAccount"));
  }

  @Test
  void theExtProcsImagePullSecretsAreCommaSeparatedSecretNames() {
    assertThat(Settings.extProc(Map.of()).imagePullSecrets()).isEmpty();
    assertThat(
            Settings.extProc(Map.of("AIGW_EXTPROC_IMAGE_PULL_SECRETS", "registry-a, registry-b"))
                .imagePullSecrets())
        .containsExactly("registry-a", "registry-b");
    assertThat(
            Settings.extProc(Map.of("AIGW_EXTPROC_IMAGE_PULL_SECRETS", "regcred,regcred"))
                .imagePullSecrets())
        .containsExactly("regcred");
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_IMAGE_PULL_SECRETS", "ok,,Bad_Name")))
        .hasValueSatisfying(
            problem ->
                assertThat(problem)
                    .startsWith("AIGW_EXTPROC_IMAGE_PULL_SECRETS=ok,,Bad_Name: not a Secret name")
                    .contains("''"));
  }

  @Test
  void theExtProcsVariablesAreLiteralOrReadFromASecret() {
    var env =
        Settings.extProc(
                Map.of(
                    "AIGW_EXTPROC_ENV",
                    "OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318; OTEL_RESOURCE_ATTRIBUTES=a=1,b=2;",
                    "AIGW_EXTPROC_SECRET_ENV",
                    "OTEL_EXPORTER_OTLP_HEADERS=otel-auth/headers"))
            .env();

    assertThat(env)
        .containsExactly(
            new Deployment.EnvVar("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
            new Deployment.EnvVar("OTEL_RESOURCE_ATTRIBUTES", "a=1,b=2"),
            Deployment.EnvVar.fromSecret("OTEL_EXPORTER_OTLP_HEADERS", "otel-auth", "headers"));
    assertThat(Settings.extProc(Map.of()).env()).isEmpty();
  }

  @Test
  void aVariableThatCannotBeSetIsRefusedByName() {
    // a value may be a token: the error names the entry by its place, never quoting it
    assertThat(
            Settings.firstProblem(
                Map.of("AIGW_EXTPROC_ENV", "OTEL_SERVICE_NAME=gw;sk-live-token-pasted-here")))
        .hasValue(
            "AIGW_EXTPROC_ENV: entry 2 is not NAME=value (a name of letters, digits, '_', '-',"
                + " '.', then '=')");
    // the likely mistake: the token itself where a reference belongs; never quoted
    assertThat(
            Settings.firstProblem(
                Map.of(
                    "AIGW_EXTPROC_SECRET_ENV",
                    "OTEL_EXPORTER_OTLP_HEADERS=authorization=Bearer%20sk-live-token")))
        .hasValue(
            "AIGW_EXTPROC_SECRET_ENV: entry 1 (OTEL_EXPORTER_OTLP_HEADERS) is not"
                + " NAME=secret/key (a Secret's name and one of its keys)");
    assertThat(
            Settings.firstProblem(Map.of("AIGW_EXTPROC_SECRET_ENV", "A=s/k;TOKEN=otel-auth/a/b")))
        .hasValueSatisfying(p -> assertThat(p).contains("entry 2 (TOKEN) is not NAME=secret/key"));
    assertThat(
            Settings.firstProblem(
                Map.of("AIGW_EXTPROC_ENV", "A=1", "AIGW_EXTPROC_SECRET_ENV", "A=s/k")))
        .hasValue("AIGW_EXTPROC_ENV and AIGW_EXTPROC_SECRET_ENV: A is given twice");
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_ENV", "AIGW_LOG_LEVEL=debug")))
        .hasValueSatisfying(p -> assertThat(p).contains("AIGW_LOG_LEVEL is set by aigw"));
  }

  @Test
  void theMetricsHeaderLabelsAreNoneByDefaultAndCheckedLikeTheFlag() {
    assertThat(Settings.METRICS_REQUEST_HEADER_ATTRIBUTES.from(Map.of()).attributeByHeader())
        .isEmpty();
    assertThat(
            Settings.METRICS_REQUEST_HEADER_ATTRIBUTES
                .from(Map.of("AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES", "x-tenant-id:tenant.id"))
                .attributeByHeader())
        .containsExactly(Map.entry("x-tenant-id", "tenant.id"));
    assertThat(
            Settings.firstProblem(
                Map.of("AIGW_EXTPROC_ENV", "AIGW_METRICS_REQUEST_HEADER_ATTRIBUTES=x-m:model")))
        .hasValueSatisfying(p -> assertThat(p).contains("attribute model is a label"));
  }

  @Test
  void anExtProcSettingGivenToTheExtProcsIsCheckedByTheController() {
    // every ExtProc would refuse to start on it
    assertThat(
            Settings.firstProblem(
                Map.of(
                    "AIGW_EXTPROC_ENV", "AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES=authorization:user")))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .startsWith("AIGW_EXTPROC_ENV: AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES=")
                    .contains("carries a credential"));
    assertThat(
            Settings.extProc(
                    Map.of("AIGW_EXTPROC_ENV", "AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES=none;EMPTY="))
                .env())
        .containsExactly(
            new Deployment.EnvVar("AIGW_SPAN_REQUEST_HEADER_ATTRIBUTES", "none"),
            // as the API server stores an empty value: absent
            new Deployment.EnvVar("EMPTY", null));
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_SECRET_ENV", "AIGW_LOG_LEVEL=s/k")))
        .hasValueSatisfying(p -> assertThat(p).contains("is aigw's own setting"));
  }

  @Test
  void theExtProcsPullPolicyIsOneOfKubernetesOwn() {
    assertThat(Settings.extProc(Map.of()).pullPolicy()).isEqualTo("IfNotPresent");
    assertThat(Settings.extProc(Map.of("AIGW_EXTPROC_IMAGE_PULL_POLICY", "Always")).pullPolicy())
        .isEqualTo("Always");
    assertThat(Settings.firstProblem(Map.of("AIGW_EXTPROC_IMAGE_PULL_POLICY", "always")))
        .hasValue(
            "AIGW_EXTPROC_IMAGE_PULL_POLICY=always: not a pull policy (Always, IfNotPresent,"
                + " Never): always");
  }

  @Test
  void theRootAndEndpointPrefixesReachTheExtProcsCleanedAndCheckedForCollisions() {
    assertThat(Settings.extProc(Map.of()).apiPaths()).isEqualTo(ApiPaths.DEFAULT);
    ApiPaths paths =
        Settings.extProc(
                Map.of("AIGW_ROOT_PREFIX", "/ai/", "AIGW_ENDPOINT_PREFIXES", "anthropic:/claude"))
            .apiPaths();
    assertThat(paths.rootPrefix()).isEqualTo("/ai");
    assertThat(paths.pathOf(ApiFamily.ANTHROPIC, "/v1/messages"))
        .isEqualTo("/ai/claude/v1/messages");
    assertThat(paths.pathOf(ApiFamily.COHERE, "/v2/rerank")).isEqualTo("/ai/cohere/v2/rerank");

    assertThat(Settings.firstProblem(Map.of("AIGW_ROOT_PREFIX", "/a b")))
        .hasValueSatisfying(
            problem ->
                assertThat(problem).startsWith("AIGW_ROOT_PREFIX=/a b: rootPrefix '/a b' is not"));
    assertThat(Settings.firstProblem(Map.of("AIGW_ENDPOINT_PREFIXES", "anthropic:/")))
        .hasValue(
            "AIGW_ENDPOINT_PREFIXES=anthropic:/: endpoint prefixes serve both openai /v1/models"
                + " and anthropic /v1/models at /v1/models; give the API families different"
                + " prefixes");
    assertThat(Settings.firstProblem(Map.of("AIGW_ENDPOINT_PREFIXES", "gemini:/g")))
        .hasValue(
            "AIGW_ENDPOINT_PREFIXES=gemini:/g: unknown API family 'gemini' (openai, cohere or"
                + " anthropic)");
  }

  @Test
  void everySettingIsDocumentedAndPrefixed() {
    assertThat(Settings.ALL)
        .allSatisfy(
            s -> {
              assertThat(s.name()).startsWith("AIGW_");
              assertThat(s.doc()).isNotBlank();
            });
  }
}
