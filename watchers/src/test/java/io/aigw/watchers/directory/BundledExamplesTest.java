package io.aigw.watchers.directory;

import static io.aigw.watchers.directory.WatchDriver.upserts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.aigw.core.codec.YamlDocuments;
import io.aigw.core.event.LogEvent;
import io.aigw.core.event.SourceError;
import io.aigw.core.event.WatchEvent;
import io.aigw.core.model.validation.AiResourceValidator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The examples {@code aigw run} uses by default: clean, complete, and free of real keys. */
class BundledExamplesTest {

  static final Path EXAMPLES = Path.of(System.getProperty("aigw.root")).resolve("examples");

  final WatchDriver watch = new WatchDriver();

  @AfterEach
  void stop() {
    watch.stop();
  }

  static List<JsonNode> objects(String file) throws Exception {
    List<JsonNode> objects = new ArrayList<>();
    for (YamlDocuments.Document document :
        YamlDocuments.parse(Files.readString(EXAMPLES.resolve(file)))) {
      objects.add(document.node());
    }
    return objects;
  }

  static Set<String> names(List<JsonNode> objects, String kind) {
    Set<String> names = new TreeSet<>();
    objects.stream()
        .filter(o -> o.path("kind").asText().equals(kind))
        .forEach(o -> names.add(o.at("/metadata/name").asText()));
    return names;
  }

  @Test
  void theDirectoryIsReadWithoutAnyErrorOrDuplicate() throws IOException {
    List<LogEvent> events = watch.start(EXAMPLES);

    assertThat(events).noneMatch(SourceError.class::isInstance);
    assertThat(upserts(events))
        .extracting(WatchEvent::kind)
        .contains(
            "AIGatewayRoute", "AIServiceBackend", "BackendSecurityPolicy", "Secret", "Gateway");
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .contains("gateway.yaml", "openai.yaml", "aws-bedrock.yaml", "azure-openai.yaml");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"gateway.yaml", "openai.yaml", "aws-bedrock.yaml", "azure-openai.yaml"})
  void everyAiGatewayObjectPassesTheCrdRules(String file) throws Exception {
    for (JsonNode object : objects(file)) {
      assertThat(AiResourceValidator.validate(object))
          .as("%s %s in %s", object.path("kind"), object.at("/metadata/name"), file)
          .isEmpty();
      assertThat(object.path("apiVersion").asText()).doesNotContain("v1alpha1/");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai.yaml", "aws-bedrock.yaml", "azure-openai.yaml"})
  void everyProviderFileHoldsWhatItsRoutesReference(String file) throws Exception {
    List<JsonNode> objects = objects(file);
    assertThat(names(objects, "AIGatewayRoute")).isNotEmpty();
    for (JsonNode route : objects) {
      if (route.path("kind").asText().equals("AIGatewayRoute")) {
        assertThat(route.at("/spec/parentRefs/0/name").asText())
            .isIn(names(objects("gateway.yaml"), "Gateway"));
        route
            .at("/spec/rules")
            .forEach(
                rule ->
                    rule.path("backendRefs")
                        .forEach(
                            ref ->
                                assertThat(ref.path("name").asText())
                                    .isIn(names(objects, "AIServiceBackend"))));
      }
      if (route.path("kind").asText().equals("AIServiceBackend")) {
        assertThat(route.at("/spec/backendRef/name").asText()).isIn(names(objects, "Backend"));
      }
      if (route.path("kind").asText().equals("BackendSecurityPolicy")) {
        assertThat(route.at("/spec/targetRefs/0/name").asText())
            .isIn(names(objects, "AIServiceBackend"));
        assertThat(route.findValues("secretRef"))
            .isNotEmpty()
            .allSatisfy(
                ref -> assertThat(ref.path("name").asText()).isIn(names(objects, "Secret")));
      }
    }
    assertThat(names(objects, "BackendTLSPolicy")).hasSize(1);
  }

  @Test
  void atLeastOneRouteRecordsCostsAndEverySecretHoldsAPlaceholder() throws Exception {
    assertThat(objects("openai.yaml"))
        .filteredOn(o -> o.path("kind").asText().equals("AIGatewayRoute"))
        .allMatch(o -> o.at("/spec/llmRequestCosts").size() >= 3);
    for (String file : List.of("openai.yaml", "aws-bedrock.yaml", "azure-openai.yaml")) {
      assertThat(objects(file))
          .filteredOn(o -> o.path("kind").asText().equals("Secret"))
          .singleElement()
          .satisfies(s -> assertThat(s.path("stringData").toString()).contains("replace-me"));
    }
  }
}
