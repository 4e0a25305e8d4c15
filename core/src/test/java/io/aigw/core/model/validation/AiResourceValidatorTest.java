package io.aigw.core.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.validation.Schema.ArraySchema;
import io.aigw.core.model.validation.Schema.ObjectSchema;
import io.aigw.core.model.validation.Schema.Rule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AiResourceValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> CASE_FILES =
      List.of(
          "route.yaml", "backend.yaml", "policy.yaml", "gatewayconfig.yaml", "quotapolicy.yaml");

  /** One table row of {@code model/validation/*.yaml}. */
  record Case(String file, String name, JsonNode object, List<String> expected) {}

  static List<Case> cases() throws Exception {
    List<Case> cases = new ArrayList<>();
    for (String file : CASE_FILES) {
      String text;
      try (InputStream in =
          AiResourceValidatorTest.class.getResourceAsStream("/model/validation/" + file)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      for (YamlDocuments.Document document : YamlDocuments.parse(text)) {
        cases.add(toCase(file, document.node()));
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
    return new Case(file, row.path("case").asText(), object, expected);
  }

  private static List<String> messages(JsonNode object) {
    return AiResourceValidator.validate(object).stream().map(Violation::toString).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyCaseGivesExactlyTheApiServerMessages() throws Exception {
    return cases().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.file() + ": " + c.name(),
                    () ->
                        assertThat(messages(c.object()))
                            .containsExactlyInAnyOrderElementsOf(c.expected())));
  }

  @Test
  void everyCelRuleHasAnInvalidCaseAndEveryKindAValidOne() throws Exception {
    List<Case> cases = cases();
    List<String> allExpected = cases.stream().flatMap(c -> c.expected().stream()).toList();
    List<String> ruleMessages = new ArrayList<>();
    for (Schema schema :
        List.of(
            AiGatewaySchemas.ROUTE,
            AiGatewaySchemas.BACKEND,
            AiGatewaySchemas.POLICY_V1BETA1,
            AiGatewaySchemas.POLICY_V1ALPHA1,
            AiGatewaySchemas.GATEWAY_CONFIG,
            AiGatewaySchemas.QUOTA_POLICY)) {
      collectRules(schema, ruleMessages);
    }
    assertThat(ruleMessages).hasSizeGreaterThanOrEqualTo(20);
    for (String message : ruleMessages) {
      assertThat(allExpected).as(message).anyMatch(expected -> expected.endsWith(": " + message));
    }
    for (String kind :
        List.of(
            "AIGatewayRoute",
            "AIServiceBackend",
            "BackendSecurityPolicy",
            "GatewayConfig",
            "QuotaPolicy")) {
      assertThat(cases)
          .anyMatch(c -> c.object().path("kind").asText().equals(kind) && c.expected().isEmpty());
    }
  }

  private static void collectRules(Schema schema, List<String> out) {
    if (schema instanceof ObjectSchema object) {
      object.rules().stream().map(Rule::message).filter(m -> !out.contains(m)).forEach(out::add);
      object.properties().values().forEach(child -> collectRules(child, out));
    } else if (schema instanceof ArraySchema array) {
      array.rules().stream().map(Rule::message).filter(m -> !out.contains(m)).forEach(out::add);
      collectRules(array.items(), out);
    }
  }

  /** Lists too long to write as YAML rows: a valid item repeated max+1 times. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "AIGatewayRoute|spec.parentRefs|{\"name\":\"gw\"}|16",
        "AIGatewayRoute|spec.hostnames|\"a.example.com\"|16",
        "AIGatewayRoute|spec.llmRequestCosts|{\"metadataKey\":\"k\",\"type\":\"InputToken\"}|36",
        "AIGatewayRoute|spec.rules[0].backendRefs|{\"name\":\"b\"}|128",
        "AIGatewayRoute|spec.rules[0].matches|{}|128",
        "AIGatewayRoute|spec.rules[0].matches[0].headers|{\"name\":\"h\",\"value\":\"v\"}|16",
        "AIGatewayRoute|spec.rules[0].backendRefs[0].headerMutation.set|{\"name\":\"h\",\"value\":\"v\"}|16",
        "AIGatewayRoute|spec.rules[0].backendRefs[0].headerMutation.remove|\"h\"|16",
        "AIGatewayRoute|spec.rules[0].backendRefs[0].bodyMutation.set|{\"path\":\"p\",\"value\":\"1\"}|16",
        "AIGatewayRoute|spec.rules[0].backendRefs[0].bodyMutation.remove|\"p\"|16",
        "AIServiceBackend|spec.headerMutation.set|{\"name\":\"h\",\"value\":\"v\"}|16",
        "BackendSecurityPolicy|spec.targetRefs|{\"group\":\"aigateway.envoyproxy.io\",\"kind\":\"AIServiceBackend\",\"name\":\"a\"}|16",
        "QuotaPolicy|spec.targetRefs|{\"group\":\"aigateway.envoyproxy.io\",\"kind\":\"AIServiceBackend\",\"name\":\"a\"}|16",
        "QuotaPolicy|spec.perModelQuotas|{\"modelName\":\"m\",\"quota\":{}}|128",
        "QuotaPolicy|spec.perModelQuotas[0].quota.bucketRules[0].clientSelectors|{\"headers\":[]}|8",
        "QuotaPolicy|spec.perModelQuotas[0].quota.bucketRules[0].clientSelectors[0].headers|{\"name\":\"h\"}|16",
      })
  void listsAcceptUpToTheirMaximumAndRejectOneMore(
      String kind, String path, String itemJson, int max) throws Exception {
    JsonNode item = JSON.readTree(itemJson);
    boolean keyed = item.has("name") || item.has("path");
    ObjectNode atMax = validObject(kind);
    fill(atMax, path, item, max, keyed);
    assertThat(messages(atMax)).isEmpty();
    ObjectNode overMax = validObject(kind);
    fill(overMax, path, item, max + 1, keyed);
    assertThat(messages(overMax))
        .containsExactly(
            path + ": Too many: " + (max + 1) + ": must have at most " + max + " items");
  }

  private static ObjectNode validObject(String kind) throws Exception {
    String spec =
        switch (kind) {
          case "AIGatewayRoute" ->
              "{\"rules\":[{\"backendRefs\":[{\"name\":\"b\"}],\"matches\":[{}]}]}";
          case "AIServiceBackend" ->
              "{\"schema\":{\"name\":\"OpenAI\"},\"backendRef\":{\"name\":\"b\",\"kind\":\"Backend\","
                  + "\"group\":\"gateway.envoyproxy.io\"}}";
          case "QuotaPolicy" ->
              "{\"perModelQuotas\":[{\"modelName\":\"m\",\"quota\":{\"bucketRules\":[{"
                  + "\"quota\":{\"limit\":1,\"duration\":\"1m\"},"
                  + "\"clientSelectors\":[{\"headers\":[{\"name\":\"h\"}]}]}]}}]}";
          default -> "{\"type\":\"APIKey\",\"apiKey\":{\"secretRef\":{\"name\":\"k\"}}}";
        };
    ObjectNode object = JSON.createObjectNode();
    object.put(
        "apiVersion",
        "aigateway.envoyproxy.io/" + (kind.equals("QuotaPolicy") ? "v1alpha1" : "v1beta1"));
    object.put("kind", kind);
    object.putObject("metadata").put("name", "x");
    object.set("spec", JSON.readTree(spec));
    return object;
  }

  /** Puts {@code count} copies of {@code item} (made unique when keyed) at a dotted path. */
  private static void fill(ObjectNode root, String path, JsonNode item, int count, boolean keyed) {
    String[] steps = path.split("\\.");
    JsonNode parent = root;
    for (int i = 0; i < steps.length - 1; i++) {
      parent = step((ObjectNode) parent, steps[i]);
    }
    ArrayNode array = ((ObjectNode) parent).putArray(steps[steps.length - 1]);
    for (int i = 0; i < count; i++) {
      JsonNode copy = item.deepCopy();
      if (copy.isTextual()) {
        copy = JSON.getNodeFactory().textNode(item.asText() + i);
      } else if (keyed) {
        String key = copy.has("name") ? "name" : "path";
        ((ObjectNode) copy).put(key, copy.get(key).asText() + i);
      }
      array.add(copy);
    }
  }

  private static ObjectNode step(ObjectNode node, String step) {
    int bracket = step.indexOf('[');
    if (bracket < 0) {
      return node.has(step) ? (ObjectNode) node.get(step) : node.putObject(step);
    }
    String field = step.substring(0, bracket);
    int index = Integer.parseInt(step.substring(bracket + 1, step.length() - 1));
    ArrayNode array = node.has(field) ? (ArrayNode) node.get(field) : node.putArray(field);
    while (array.size() <= index) {
      array.addObject();
    }
    return (ObjectNode) array.get(index);
  }

  @Test
  void aQuotaPolicyOfV1beta1IsRefusedForItsVersionAlone() throws Exception {
    JsonNode quota =
        JSON.readTree(
            "{\"apiVersion\":\"aigateway.envoyproxy.io/v1beta1\",\"kind\":\"QuotaPolicy\","
                + "\"metadata\":{\"name\":\"q\"},\"spec\":{\"perModelQuotas\":[{}],\"x\":1}}");
    assertThat(messages(quota))
        .containsExactly(
            "apiVersion: Invalid value: \"aigateway.envoyproxy.io/v1beta1\": QuotaPolicy is served"
                + " only as aigateway.envoyproxy.io/v1alpha1");
    ((ObjectNode) quota).put("apiVersion", "aigateway.envoyproxy.io/v1alpha1");
    assertThat(messages(quota))
        .containsExactlyInAnyOrder(
            "unknown field \"spec.x\"",
            "spec.perModelQuotas[0].modelName: Required value",
            "spec.perModelQuotas[0].quota: Required value");
  }

  // ---- upstream fixtures ----------------------------------------------------------------------

  static Path fixtures() {
    return Path.of(System.getProperty("aigw.root", "..")).resolve("../shared/fixtures/upstream");
  }

  static List<Path> fixtureFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(fixtures().resolve("examples"))) {
      walk.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    try (Stream<Path> list = Files.list(fixtures().resolve("translate"))) {
      list.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
    }
    return files;
  }

  @Test
  void everyAiGatewayObjectOfTheUpstreamExamplesAndTranslateInputsIsValid() throws Exception {
    Map<String, List<String>> rejected = new TreeMap<>();
    int checked = 0;
    for (Path file : fixtureFiles()) {
      for (YamlDocuments.Document document : YamlDocuments.parse(Files.readString(file))) {
        if (AiResourceReader.aiKind(document.node()).isEmpty()) {
          continue;
        }
        checked++;
        List<String> messages = messages(document.node());
        if (!messages.isEmpty()) {
          rejected.put(
              fixtures().relativize(file)
                  + " "
                  + document.node().path("kind").asText()
                  + "/"
                  + document.node().path("metadata").path("name").asText(),
              messages);
        }
      }
    }
    assertThat(checked).isGreaterThan(40);
    // Upstream's translate input keeps a Kubernetes Service backend that its own v1.1.0 CRD
    // rejects (ai-gateway#902): `aigw translate` upstream never runs the CRD validation.
    String serviceBackend = "AIServiceBackend/envoy-ai-gateway-basic-testupstream";
    List<String> notABackend =
        List.of(
            "spec.backendRef: Invalid value: \"object\": BackendRef must be a Backend resource of"
                + " Envoy Gateway. See https://github.com/envoyproxy/ai-gateway/issues/902 for more"
                + " details.");
    assertThat(rejected)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "translate/translate_basic.in.yaml " + serviceBackend, notABackend,
                "translate/translate_basic_v1alpha1.in.yaml " + serviceBackend, notABackend));
  }
}
