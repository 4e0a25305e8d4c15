package io.aigw.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;

/**
 * Stable YAML text of a tree: keys sorted, block style, one {@code ---} document. Jackson's YAML
 * generator defines the text; {@link BlockYamlWriter} writes the same text faster for the trees it
 * knows.
 */
public final class YamlText {

  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .build());

  private YamlText() {}

  public static String write(JsonNode node) {
    JsonNode sorted = CanonicalJson.sorted(node);
    return BlockYamlWriter.write(sorted).orElseGet(() -> withGenerator(sorted));
  }

  /** The text as Jackson's generator writes it: what {@link BlockYamlWriter} must match. */
  static String withGenerator(JsonNode sorted) {
    try {
      return YAML.writeValueAsString(sorted);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
