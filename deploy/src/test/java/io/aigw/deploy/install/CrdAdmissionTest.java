package io.aigw.deploy.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.model.AiResourceReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CRDs admit what upstream's examples contain and reject what aigw's validator rejects, with
 * the same messages: the table of the validator's cases ({@code core/src/test/resources/
 * model/validation}) is run against the CRD schemas and their CEL rules.
 */
class CrdAdmissionTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern RULE_MESSAGE =
      Pattern.compile("^[^ ]+: Invalid value: \"(?:object|array)\": (.*)$");
  private static AiGatewayCrds crds;

  /** A row of the validator's table. */
  record Case(String file, String name, JsonNode object, List<String> expected) {}

  @BeforeAll
  static void load() throws Exception {
    crds = AiGatewayCrds.load();
  }

  static List<Case> validatorCases() throws Exception {
    Path table = InstallManifests.root().resolve("core/src/test/resources/model/validation");
    List<Case> cases = new ArrayList<>();
    for (String file :
        List.of(
            "route.yaml",
            "backend.yaml",
            "policy.yaml",
            "gatewayconfig.yaml",
            "quotapolicy.yaml")) {
      for (YamlDocuments.Document row :
          YamlDocuments.parse(Files.readString(table.resolve(file)))) {
        cases.add(toCase(file, row.node()));
      }
    }
    return cases;
  }

  private static Case toCase(String file, JsonNode row) {
    ObjectNode object = JSON.createObjectNode();
    object.put("apiVersion", row.path("apiVersion").asText("aigateway.envoyproxy.io/v1beta1"));
    object.put("kind", row.path("kind").asText());
    object.set(
        "metadata",
        row.has("metadata")
            ? row.get("metadata")
            : JSON.createObjectNode().put("name", "r").put("namespace", "default"));
    object.set("spec", row.get("spec"));
    List<String> expected = new ArrayList<>();
    row.path("expect").forEach(message -> expected.add(message.asText()));
    expected.removeIf(AiGatewayCrds::isMetadata);
    return new Case(file, row.path("case").asText(), object, expected);
  }

  @TestFactory
  Stream<DynamicTest> everyCaseOfTheValidatorTableGetsTheSameMessagesFromTheCrds()
      throws Exception {
    return validatorCases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.file() + ": " + c.name(),
                    () ->
                        assertThat(crds.admit(c.object()))
                            .containsExactlyInAnyOrderElementsOf(c.expected())));
  }

  @Test
  void everyCelMessageOfTheCrdsIsExpectedByTheValidatorTableAndViceVersa() throws Exception {
    Set<String> crdMessages = new TreeSet<>();
    for (String kind : AiGatewayCrds.CRD_OF_KIND.keySet()) {
      for (JsonNode version : crds.crd(kind).path("spec").path("versions")) {
        collectRuleMessages(version.path("schema").path("openAPIV3Schema"), crdMessages);
      }
    }
    Set<String> tableMessages = new TreeSet<>();
    for (Case c : validatorCases()) {
      for (String expected : c.expected()) {
        Matcher rule = RULE_MESSAGE.matcher(expected);
        if (rule.matches()) {
          tableMessages.add(rule.group(1));
        }
      }
    }
    assertThat(crdMessages).hasSizeGreaterThanOrEqualTo(20).isEqualTo(tableMessages);
  }

  static void collectRuleMessages(JsonNode schema, Set<String> out) {
    schema.path("x-kubernetes-validations").forEach(rule -> out.add(rule.path("message").asText()));
    schema.path("properties").forEach(child -> collectRuleMessages(child, out));
    if (schema.has("items")) {
      collectRuleMessages(schema.get("items"), out);
    }
  }

  /** Every AI Gateway object of the upstream examples, translate inputs and aigw's examples. */
  static Map<String, JsonNode> fixtureObjects() throws IOException {
    Path fixtures = InstallManifests.root().resolve("../shared/fixtures/upstream").normalize();
    List<Path> files = new ArrayList<>();
    for (Path dir :
        List.of(
            fixtures.resolve("examples"),
            fixtures.resolve("translate"),
            InstallManifests.root().resolve("examples"))) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
      }
    }
    Map<String, JsonNode> objects = new TreeMap<>();
    for (Path file : files) {
      List<YamlDocuments.Document> documents;
      try {
        documents = YamlDocuments.parse(Files.readString(file));
      } catch (YamlDocuments.YamlSyntaxException e) {
        throw new AssertionError(file + ": " + e.getMessage(), e);
      }
      for (YamlDocuments.Document document : documents) {
        if (AiResourceReader.aiKind(document.node()).isPresent()) {
          objects.put(
              file + ":" + document.line() + " " + document.node().path("kind").asText(),
              document.node());
        }
      }
    }
    return objects;
  }

  @Test
  void everyAiGatewayObjectOfTheUpstreamAndAigwExamplesIsAdmitted() throws Exception {
    Map<String, List<String>> rejected = new TreeMap<>();
    int examples = 0;
    for (Map.Entry<String, JsonNode> object : fixtureObjects().entrySet()) {
      if (object.getKey().contains("/translate/")) {
        continue;
      }
      examples++;
      List<String> messages = crds.admit(object.getValue());
      if (!messages.isEmpty()) {
        rejected.put(object.getKey(), messages);
      }
    }
    assertThat(examples).isGreaterThan(40);
    assertThat(rejected).isEmpty();
  }

  @Test
  void theCrdsAndTheValidatorGiveTheSameAnswerForEveryFixtureObject() throws Exception {
    Map<String, JsonNode> objects = fixtureObjects();
    for (Map.Entry<String, JsonNode> object : objects.entrySet()) {
      assertThat(crds.admit(object.getValue()))
          .as(object.getKey())
          .containsExactlyInAnyOrderElementsOf(AiGatewayCrds.validator(object.getValue()));
    }
    // upstream's translate input keeps a Service backend its own CRD rejects (ai-gateway#902)
    assertThat(objects.values().stream().filter(o -> !crds.admit(o).isEmpty())).hasSize(2);
  }

  @Test
  void theCrdDefaultsAreTheDefaultsAigwAppliesWhenReadingAnObject() throws Exception {
    for (Map.Entry<String, JsonNode> object : fixtureObjects().entrySet()) {
      JsonNode defaulted =
          CrdSchema.defaulted(crds.schemaFor(object.getValue()), object.getValue());
      JsonNode normalized = AiResourceReader.normalizedTree(object.getValue());
      assertThat(defaulted.path("spec")).as(object.getKey()).isEqualTo(normalized.path("spec"));
    }
  }

  @Test
  void theQuotaPolicyDefaultsAreTheDefaultsAigwAppliesWhenReadingOne() throws Exception {
    JsonNode quota =
        YamlDocuments.parse(
                """
                apiVersion: aigateway.envoyproxy.io/v1alpha1
                kind: QuotaPolicy
                metadata: {name: q, namespace: default}
                spec:
                  serviceQuota: {quota: {limit: 1, duration: 1h}}
                  perModelQuotas:
                  - modelName: m
                    quota:
                      bucketRules:
                      - clientSelectors:
                        - headers: [{name: a, value: b}, {name: c, type: Distinct, invert: true}]
                          methods: [{value: POST}]
                          path: {}
                          sourceCIDR: {value: 10.0.0.0/8}
                        - path: {type: Exact, value: /v1}
                        quota: {limit: 1, duration: 1m}
                      - quota: {limit: 2, duration: 1d}
                  - modelName: n
                    quota: {defaultBucket: {limit: 3, duration: 1s}}
                """)
            .get(0)
            .node();
    JsonNode defaulted = CrdSchema.defaulted(crds.schemaFor(quota), quota);
    assertThat(defaulted.path("spec"))
        .isEqualTo(AiResourceReader.normalizedTree(quota).path("spec"));
    JsonNode selector =
        defaulted.at("/spec/perModelQuotas/0/quota/bucketRules/0/clientSelectors/0");
    assertThat(defaulted.at("/spec/perModelQuotas/1/quota/mode").asText()).isEqualTo("Shared");
    assertThat(selector.at("/headers/0/type").asText()).isEqualTo("Exact");
    assertThat(selector.at("/headers/0/invert").isBoolean()).isTrue();
    assertThat(selector.at("/path/value").asText()).isEqualTo("/");
    assertThat(selector.at("/sourceCIDR/type").asText()).isEqualTo("Exact");
    // no CRD default: the records read an absent shadowMode as false
    assertThat(defaulted.at("/spec/perModelQuotas/0/quota/bucketRules/1").has("shadowMode"))
        .isFalse();
    assertThat(crds.admit(quota)).isEmpty();
  }

  @Test
  void aQuotaPolicyOfAVersionTheCrdDoesNotServeIsRefusedByTheValidator() {
    assertThat(crds.crd("QuotaPolicy").at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
    ObjectNode quota = JSON.createObjectNode();
    quota.put("apiVersion", "aigateway.envoyproxy.io/v1beta1").put("kind", "QuotaPolicy");
    quota.putObject("metadata").put("name", "q");
    quota.putObject("spec");
    // the API server knows no such version; aigw says so in the one violation it reports
    assertThat(AiGatewayCrds.validator(quota))
        .containsExactly(
            "apiVersion: Invalid value: \"aigateway.envoyproxy.io/v1beta1\": QuotaPolicy is served"
                + " only as aigateway.envoyproxy.io/v1alpha1");
  }

  @Test
  void theDefaultsApplyToAMinimalRouteAsTheApiServerWould() throws Exception {
    JsonNode route =
        JSON.readTree(
            "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"AIGatewayRoute\","
                + "\"metadata\":{\"name\":\"r\"},\"spec\":{\"parentRefs\":[{\"name\":\"gw\"}],"
                + "\"rules\":[{\"matches\":[{\"headers\":[{\"name\":\"x\",\"value\":\"y\"}]}],"
                + "\"backendRefs\":[{\"name\":\"b\"}]}]}}");
    JsonNode spec = CrdSchema.defaulted(crds.schemaFor(route), route).path("spec");
    assertThat(spec.at("/parentRefs/0/kind").asText()).isEqualTo("Gateway");
    assertThat(spec.at("/parentRefs/0/group").asText()).isEqualTo("gateway.networking.k8s.io");
    assertThat(spec.at("/rules/0/backendRefs/0/weight").asInt()).isEqualTo(1);
    assertThat(spec.at("/rules/0/backendRefs/0/priority").isIntegralNumber()).isTrue();
    assertThat(spec.at("/rules/0/matches/0/headers/0/type").asText()).isEqualTo("Exact");
    assertThat(spec.at("/rules/0/modelsOwnedBy").asText()).isEqualTo("Envoy AI Gateway");
  }
}
