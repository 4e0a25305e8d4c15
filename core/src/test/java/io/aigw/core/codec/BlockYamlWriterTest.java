package io.aigw.core.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockYamlWriterTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Characters that change how YAML writes a string, and a few that do not. */
  private static final String TRICKY = "ab09 :#-,[]{}~?\"'\\\n\t.+|>&*!%@`=/_\u00e9";

  @Property(tries = 1000)
  void writesWhatJacksonWritesOrLeavesTheTreeToIt(@ForAll("trees") JsonNode tree) {
    JsonNode sorted = CanonicalJson.sorted(tree);
    Optional<String> written = BlockYamlWriter.write(sorted);
    written.ifPresent(text -> assertThat(text).isEqualTo(YamlText.withGenerator(sorted)));
    assertThat(YamlText.write(tree)).isEqualTo(YamlText.withGenerator(sorted));
  }

  @Property(tries = 500)
  void writesTheTreesOurObjectsMakeItself(@ForAll("plainTrees") JsonNode tree) {
    JsonNode sorted = CanonicalJson.sorted(tree);
    assertThat(BlockYamlWriter.write(sorted)).contains(YamlText.withGenerator(sorted));
  }

  @Test
  void writesAConfigMapWithItsConfigAsALiteralBlock() {
    ObjectNode configMap = NODES.objectNode();
    configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap
        .putObject("metadata")
        .put("name", "ai-eg-route-exproc-chat")
        .put("namespace", "default")
        .putObject("labels")
        .put("app.kubernetes.io/managed-by", "aigw");
    configMap
        .putObject("data")
        .put(
            "filter-config.yaml",
            "backends:\n  - name: openai.default\n    schema:\n      name: OpenAI\n"
                + "llmRequestCosts:\n  - cel: input_tokens * uint(3) + output_tokens\n"
                + "    metadataKey: cost\nmodels: []\nversion: aigw.filterconfig/v1\n");
    configMap.putArray("ports").addObject().put("port", 1063).put("weight", -1.5);

    assertThat(BlockYamlWriter.write(CanonicalJson.sorted(configMap)))
        .contains(YamlText.withGenerator(CanonicalJson.sorted(configMap)))
        .hasValueSatisfying(text -> assertThat(text).contains("filter-config.yaml: |\n    "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "-1", "1.5", "", "~x", "a: b", "x,y", "a #b", "[x"})
  void quotesWhatJacksonQuotes(String value) {
    ObjectNode tree = NODES.objectNode().put("k", value);
    assertThat(BlockYamlWriter.write(tree)).contains("---\nk: \"" + value + "\"\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\tb", " lead", "x:", "'x", "a\"b: c", "caf\u00e9", "l1\n\nl2\n\n"})
  void leavesWhatItIsNotSureOfToJackson(String value) {
    ObjectNode tree = NODES.objectNode().put("k", value);
    assertThat(BlockYamlWriter.write(tree)).isEmpty();
    assertThat(YamlText.write(tree)).isEqualTo(YamlText.withGenerator(tree));
  }

  @Provide
  Arbitrary<JsonNode> trees() {
    Arbitrary<String> strings =
        Arbitraries.oneOf(
            Arbitraries.strings().withChars(TRICKY).ofMaxLength(8),
            Arbitraries.of(
                "yes", "No", "null", "~", "-1", "+.5", ".", "1e5", "---", "...x", "x:", "a: b",
                "- x", "-x", "? x", "a\nb", "a\n", "a\n\n", "\nx", " x\ny", "x \ny", "x\n y\n"),
            Arbitraries.strings().withChars("ab c").ofMinLength(100).ofMaxLength(200));
    return objects(3, strings, strings, true);
  }

  @Provide
  Arbitrary<JsonNode> plainTrees() {
    Arbitrary<String> words = Arbitraries.strings().withChars("abcxyz019._/-").ofMaxLength(12);
    Arbitrary<String> keys = words.map(word -> "k" + word);
    Arbitrary<String> line = words.map(word -> "v" + word + ": " + word + " * uint(3)");
    Arbitrary<String> strings =
        Arbitraries.oneOf(
            keys,
            Arbitraries.of("true", "", "42", "https://api.openai.com:443/v1"),
            line,
            line.list().ofMinSize(1).ofMaxSize(4).map(lines -> String.join("\n", lines) + "\n"),
            line.list().ofMinSize(2).ofMaxSize(3).map(lines -> String.join("\n", lines)));
    return objects(3, keys, strings, false);
  }

  private Arbitrary<JsonNode> objects(
      int depth, Arbitrary<String> keys, Arbitrary<String> text, boolean listsInLists) {
    return Arbitraries.maps(keys, node(depth - 1, keys, text, listsInLists))
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(BlockYamlWriterTest::object);
  }

  private Arbitrary<JsonNode> node(
      int depth, Arbitrary<String> keys, Arbitrary<String> text, boolean listsInLists) {
    Arbitrary<JsonNode> scalars =
        Arbitraries.oneOf(
            text.map(NODES::textNode),
            Arbitraries.integers().map(NODES::numberNode),
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.doubles().map(NODES::numberNode),
            Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode()));
    if (depth == 0) {
      return scalars;
    }
    Arbitrary<JsonNode> objects =
        Arbitraries.maps(keys, node(depth - 1, keys, text, listsInLists))
            .ofMaxSize(3)
            .map(BlockYamlWriterTest::object);
    Arbitrary<JsonNode> lists =
        listsInLists
            ? scalars.list().ofMaxSize(2).map(BlockYamlWriterTest::array)
            : Arbitraries.just(NODES.arrayNode());
    Arbitrary<JsonNode> arrays =
        Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(4, objects), Tuple.of(1, lists))
            .list()
            .ofMaxSize(3)
            .map(BlockYamlWriterTest::array);
    return Arbitraries.frequencyOf(Tuple.of(4, scalars), Tuple.of(2, objects), Tuple.of(2, arrays));
  }

  private static JsonNode object(Map<String, JsonNode> fields) {
    ObjectNode node = NODES.objectNode();
    fields.forEach(node::set);
    return node;
  }

  private static JsonNode array(List<JsonNode> items) {
    ArrayNode node = NODES.arrayNode();
    items.forEach(node::add);
    return node;
  }
}
