package io.aigw.core.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aigw.core.model.AiResource;
import io.aigw.core.model.AiResourceReader;
import io.aigw.core.model.validation.Schema.ArraySchema;
import io.aigw.core.model.validation.Schema.ObjectSchema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class AiResourceValidatorPropertyTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Field names of every schema plus values the rules look at, so trees reach deep. */
  private static final List<String> VOCABULARY = vocabulary();

  @Property(tries = 1500)
  void validatorAndReaderNeverThrowOnAnyTree(@ForAll("resources") JsonNode tree) {
    List<Violation> violations = AiResourceValidator.validate(tree);
    assertThat(violations).allSatisfy(v -> assertThat(v.toString()).isNotBlank());
    JsonNode normalised = AiResourceReader.normalizedTree(tree);
    assertThat(normalised.path("apiVersion").asText()).isEqualTo(AiResource.V1BETA1);
    try {
      assertThat(AiResourceReader.read(tree)).isPresent();
    } catch (IllegalArgumentException expectedForWrongTypes) {
      assertThat(violations).isNotEmpty();
    }
  }

  @Property(tries = 300)
  void treesOfOtherKindsAreNeverJudged(@ForAll("trees") JsonNode tree) {
    assertThat(AiResourceValidator.validate(tree)).isEmpty();
    assertThat(AiResourceReader.normalizedTree(tree)).isSameAs(tree);
  }

  @Provide
  Arbitrary<JsonNode> resources() {
    return Combinators.combine(
            Arbitraries.of(AiResource.V1ALPHA1, AiResource.V1BETA1),
            Arbitraries.of("AIGatewayRoute", "AIServiceBackend", "BackendSecurityPolicy"),
            tree(4),
            tree(2))
        .as(
            (apiVersion, kind, spec, metadata) -> {
              ObjectNode object = NODES.objectNode();
              object.put("apiVersion", apiVersion).put("kind", kind);
              object.set("metadata", metadata);
              object.set("spec", spec);
              return object;
            });
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    return tree(3);
  }

  private static Arbitrary<JsonNode> tree(int depth) {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.just(NODES.nullNode()),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.bigIntegers().map(NODES::numberNode),
            Arbitraries.strings().ofMaxLength(12).map(NODES::textNode),
            Arbitraries.of(VOCABULARY).map(NODES::textNode));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<JsonNode> child = tree(depth - 1);
    Arbitrary<JsonNode> array =
        child
            .list()
            .ofMaxSize(4)
            .map(
                items -> {
                  ArrayNode node = NODES.arrayNode();
                  node.addAll(items);
                  return node;
                });
    Arbitrary<JsonNode> object =
        Arbitraries.maps(Arbitraries.of(VOCABULARY), child)
            .ofMaxSize(6)
            .map(
                fields -> {
                  ObjectNode node = NODES.objectNode();
                  fields.forEach(node::set);
                  return node;
                });
    return Arbitraries.frequencyOf(Tuple.of(2, leaf), Tuple.of(1, array), Tuple.of(4, object));
  }

  private static List<String> vocabulary() {
    Set<String> words = new LinkedHashSet<>();
    for (Schema schema :
        List.of(
            AiGatewaySchemas.ROUTE, AiGatewaySchemas.BACKEND, AiGatewaySchemas.POLICY_V1BETA1)) {
      collectNames(schema, words);
    }
    words.addAll(AiGatewaySchemas.POLICY_TYPES);
    words.addAll(AiGatewaySchemas.SCHEMA_NAMES);
    words.addAll(
        List.of(
            "Gateway",
            "Backend",
            "Service",
            "InferencePool",
            "AIServiceBackend",
            "gateway.envoyproxy.io",
            "inference.networking.k8s.io",
            "aigateway.envoyproxy.io",
            "route-not-found",
            "10s",
            "0s",
            "1h30m",
            "",
            "Exact",
            "x-ai-eg-model"));
    return new ArrayList<>(words);
  }

  private static void collectNames(Schema schema, Set<String> out) {
    if (schema instanceof ObjectSchema object) {
      object
          .properties()
          .forEach(
              (name, child) -> {
                out.add(name);
                collectNames(child, out);
              });
    } else if (schema instanceof ArraySchema array) {
      collectNames(array.items(), out);
    }
  }
}
